// Talking to the mail provider politely: a request rate (SEND_RATE_PER_SECOND) shared by every batch of
// the run, Retry-After honoured on 429, exponential backoff with jitter on 5xx / network / timeout, and a
// bounded number of attempts. The same idempotency key on every attempt: a retry of a request the
// provider did receive is answered from its idempotency store, never sent twice.
import type { BatchResult, Mailer, OutgoingEmail } from "../mail/mailer";

/** Time for the pacing and backoff; tests pass a virtual one so nothing waits. */
export interface Pacer {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacer: Pacer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** Spaces requests at least 1/rate seconds apart, across concurrent callers (no bursts). */
export function createRateLimiter(ratePerSecond: number, pacer: Pacer): { take(): Promise<void> } {
  const interval = 1000 / ratePerSecond;
  let nextAt = -Infinity;
  return {
    async take() {
      const now = pacer.now();
      const at = Math.max(now, nextAt);
      nextAt = at + interval;
      if (at > now) await pacer.sleep(at - now);
    },
  };
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for within the run: the batch is handed back. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };

/** Equal jitter: half the exponential delay, plus a random part of the other half. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

export type SendAnswer =
  | { kind: "accepted"; outcomes: Extract<BatchResult, { kind: "accepted" }>["outcomes"] }
  /** 409 invalid_idempotent_request: the provider already processed this key with other content. */
  | { kind: "already-processed"; error: string }
  /** Our credentials or account were refused: nothing will work this run; the batch is handed back. */
  | { kind: "refused"; error: string; status?: number }
  /** The provider asks us to wait longer than we wait within a run. */
  | { kind: "later"; error: string; retryAfterMs: number }
  /** Non-retryable, or retryable but still failing after the last attempt. */
  | { kind: "failed"; error: string; retryable: boolean; attempts: number };

export interface SendDeps {
  mailer: Mailer;
  limiter: { take(): Promise<void> };
  pacer: Pacer;
  random: () => number;
  policy: RetryPolicy;
  onRetry?: (info: { attempt: number; delayMs: number; error: string }) => void;
}

export async function sendWithRetry(deps: SendDeps, emails: OutgoingEmail[], idempotencyKey: string): Promise<SendAnswer> {
  for (let attempt = 1; ; attempt++) {
    await deps.limiter.take();
    const result = await deps.mailer.sendBatch(emails, { idempotencyKey });
    if (result.kind === "accepted") return { kind: "accepted", outcomes: result.outcomes };
    if (result.status === 409 && /invalid_idempotent_request/.test(result.error)) {
      return { kind: "already-processed", error: result.error };
    }
    if (result.status === 401 || result.status === 403) return { kind: "refused", error: result.error, status: result.status };
    if (!result.retryable) return { kind: "failed", error: result.error, retryable: false, attempts: attempt };
    if (attempt >= deps.policy.maxAttempts) return { kind: "failed", error: result.error, retryable: true, attempts: attempt };
    if (result.retryAfterMs !== undefined && result.retryAfterMs > deps.policy.maxRetryAfterMs) {
      return { kind: "later", error: result.error, retryAfterMs: result.retryAfterMs };
    }
    const delayMs = result.retryAfterMs ?? backoffDelay(attempt, deps.policy, deps.random);
    deps.onRetry?.({ attempt, delayMs, error: result.error });
    await deps.pacer.sleep(delayMs);
  }
}
