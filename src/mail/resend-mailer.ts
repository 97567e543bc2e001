// Mailer over the Resend SDK's batch endpoint. The SDK neither throws nor retries: every answer comes
// back as { data, error, headers }, which this file turns into a BatchResult. Retrying is the caller's.
import { Resend } from "resend";
import { batchBody, batchStream } from "./json-body";
import type { BatchResult, EmailOutcome, Mailer, OutgoingEmail } from "./mailer";

export interface ResendMailerOptions {
  apiKey: string;
  /** e.g. a local fake in tests; defaults to https://api.resend.com */
  baseUrl?: string;
  /** Per request; a timeout counts as a retryable failure. */
  timeoutMs?: number;
  /**
   * Node: send the body as a stream of one buffer per email with its length announced, which Node's
   * fetch() neither copies nor tees (it copies a buffer body twice: ~8 MB per morning batch). Not on
   * Workers, whose fetch() takes the buffer as it is.
   */
  streamBody?: boolean;
}

interface ResendErrorLike {
  message?: string;
  name?: string;
  statusCode?: number | null;
}

/** Parses Retry-After (seconds or HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | undefined | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The request body, for fetch() through the SDK's request options (see sendBatch). */
function bodyOptions(emails: OutgoingEmail[], stream: boolean): Record<string, unknown> {
  if (!stream) return { body: batchBody(emails) };
  const { stream: body, contentLength } = batchStream(emails);
  // A streamed body cannot be replayed to follow a redirect (nor is it then teed for one).
  return { body, duplex: "half", redirect: "error", headers: { "Content-Length": String(contentLength) } };
}

export function createResendMailer(options: ResendMailerOptions): Mailer {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, "") } : undefined);
  const timeoutMs = options.timeoutMs ?? 30_000;

  return {
    async sendBatch(emails: OutgoingEmail[], { idempotencyKey }): Promise<BatchResult> {
      if (emails.length === 0) return { kind: "accepted", outcomes: [] };
      if (emails.length > 100) throw new Error("sendBatch: Resend takes at most 100 emails a call");
      // The SDK would JSON.stringify the emails and undici would re-check and re-encode that string (3.5 MB
      // for a morning batch): we hand the SDK the finished bytes instead — the same bytes it would build
      // (json-body.ts) — through its request options, which it passes on to fetch() after its own fields.
      // The SDK still makes the request: authorization, Idempotency-Key, x-batch-validation, user agent,
      // and turns the answer into { data, error, headers }. If a later SDK stopped passing `body` on, the
      // provider would get an empty batch and refuse it (422): every digest test would fail.
      const { data, error, headers } = (await resend.batch.send([], {
        idempotencyKey,
        batchValidation: "permissive",
        signal: AbortSignal.timeout(timeoutMs),
        ...bodyOptions(emails, options.streamBody ?? false),
      } as Parameters<typeof resend.batch.send>[1])) as {
        data: { data?: Array<{ id: string }>; errors?: Array<{ index: number; message: string }> } | null;
        error: ResendErrorLike | null;
        headers: Record<string, string> | null;
      };
      if (error || !data) {
        const status = error?.statusCode ?? undefined;
        const message = `${error?.name ?? "error"}: ${error?.message ?? "no answer"}`;
        // 409 concurrent_idempotent_requests: the same key is still being processed; asking again is right.
        const retryable =
          status === undefined || status === 429 || status >= 500 || error?.name === "concurrent_idempotent_requests";
        const retryAfterMs = parseRetryAfter(headers?.["retry-after"]);
        return { kind: "failed", retryable, error: message, ...(status ? { status } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
      }
      const ids = data.data ?? [];
      const rejected = new Map((data.errors ?? []).map((e) => [e.index, e.message]));
      // Permissive validation: `data` lists the accepted emails in order, `errors` names the rejected by index.
      const outcomes: EmailOutcome[] = [];
      let next = 0;
      for (let i = 0; i < emails.length; i++) {
        const reason = rejected.get(i);
        if (reason !== undefined) {
          outcomes.push({ ok: false, error: reason });
          continue;
        }
        const accepted = ids[next++];
        outcomes.push(accepted ? { ok: true, id: accepted.id } : { ok: false, error: "the provider returned no id for this email" });
      }
      return { kind: "accepted", outcomes };
    },
  };
}
