// Workers count subrequests per invocation (1,000 on the Paid plan, 50 on Free), so a tick may only make so
// many provider requests. This Mailer lets the first `calls` requests through; past that it answers like
// a provider asking to wait longer than a run waits (429 with a long Retry-After), which the tick already
// handles without losing anything: the batch in hand is handed back whole, under the same idempotency
// key and still leased, and sending stops for this run. The next trigger re-claims it first (its lease
// expires after `deferMs`), sends the identical request, then the rest of the queue.
import type { BatchResult, Mailer } from "../mail/mailer";

export interface BudgetedMailer extends Mailer {
  /** Provider requests made so far (refused ones not counted). */
  used(): number;
  /** True once a request was refused for lack of budget. */
  exhausted(): boolean;
}

export function withProviderBudget(mailer: Mailer, calls: number, deferMs: number): BudgetedMailer {
  let used = 0;
  let exhausted = false;
  return {
    used: () => used,
    exhausted: () => exhausted,
    async sendBatch(emails, options): Promise<BatchResult> {
      if (used >= calls) {
        exhausted = true;
        return {
          kind: "failed",
          retryable: true,
          status: 429,
          retryAfterMs: deferMs,
          error: `per-trigger budget of ${calls} provider requests used (WORKER_TICK_BATCHES): the rest is sent on the next trigger`,
        };
      }
      used++;
      return mailer.sendBatch(emails, options);
    },
  };
}
