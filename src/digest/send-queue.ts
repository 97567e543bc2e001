// Sending the queue: workers take a batch their planner claimed (planned-batches.ts) or claim one from the
// queue (lease + batch key), build each email from the planned layout,
// send the batch through the Mailer (one provider call for up to 100 emails) and record every outcome in
// one statement — only after the provider answered. A worker that dies leaves its batch `sending`; when
// the lease expires a worker re-claims the same batch under the same key and sends the identical request.
import type { Db } from "../../db/client";
import {
  claimQueuedBatch,
  reclaimExpiredBatch,
  recordOutcomes,
  releaseBatch,
  type ClaimedDelivery,
  type DeliveryOutcome,
} from "../../db/queries/deliveries";
import type { Config } from "../config";
import type { Clock } from "../clock";
import type { Logger } from "../log";
import type { OutgoingEmail } from "../mail/mailer";
import { composeDigestEmail, type DigestRecipient, type DigestRenderer } from "./compose-email";
import type { ContentCache } from "./content-cache";
import type { PlannedBatches } from "./planned-batches";
import { sendWithRetry, type SendDeps } from "./provider-calls";

export interface SendQueueContext {
  db: Db;
  config: Config;
  clock: Clock;
  log: Logger;
  renderer: DigestRenderer;
  content: ContentCache;
  provider: SendDeps;
  /** Emails per provider call (Resend: at most 100). */
  batchSize: number;
  /** How long a claimed batch is ours before another worker may take it over. */
  leaseMs: number;
  /** A batch claimed this many times without an answer being recorded is failed (a poison batch). */
  maxClaims: number;
  /** Expired leases are looked for at the start and then at most this often (monotonic ms). */
  reclaimEveryMs: number;
  /** Batches this process's planner claimed for it (planned-batches.ts): taken before the queue. */
  planned?: PlannedBatches;
  /**
   * A batch the provider kept failing (5xx, network) after the last attempt: handed back unanswered for
   * a later try (Workers Queues retry it with backoff, then dead-letter it) instead of recorded failed.
   */
  handBackRetryable?: boolean;
}

export interface SendTotals {
  sent: number;
  failed: number;
  skipped: number;
  batches: number;
  /** Why sending stopped before the queue was empty (provider down, credentials refused), if it did. */
  stopped?: string;
}

/** Lets the workers wait for the planner's next chunk instead of polling. */
export class WorkSignal {
  private waiters: Array<() => void> = [];
  done = false;
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
  finish(): void {
    this.done = true;
    this.notify();
  }
  wait(): Promise<void> {
    return this.done ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

export type BatchResult = {
  sent: number;
  failed: number;
  skipped: number;
  stop?: string;
  /** Given back without an answer (still `sending`, same key): why, and how long the provider asked to wait. */
  handedBack?: { reason: string; retryAfterMs?: number };
};

/** Why a claimed delivery must not be sent any more, or null. */
function notSendable(d: ClaimedDelivery): string | null {
  if (d.suppressed) return "address suppressed (bounce or complaint)";
  if (d.subscriberStatus !== "active") return `subscriber ${d.subscriberStatus} before sending`;
  return null;
}

/** The subscriber a claimed delivery goes to (its id is the subscriber's, not the delivery's). */
function recipientOf(d: ClaimedDelivery): DigestRecipient {
  return {
    id: d.subscriberId,
    email: d.email,
    tokenVersion: d.tokenVersion,
    countries: d.countries,
    timeZone: d.timeZone,
    deliveryTime: d.deliveryTime,
    frequency: d.frequency,
    weeklyDay: d.weeklyDay,
  };
}

/** Sends one claimed batch and records every outcome (or hands the batch back unanswered). */
export async function sendBatch(ctx: SendQueueContext, batch: ClaimedDelivery[]): Promise<BatchResult> {
  const key = batch[0]!.batchKey;
  const outcomes: DeliveryOutcome[] = [];
  const record = async (stop?: string): Promise<BatchResult> => {
    await recordOutcomes(ctx.db, key, outcomes, ctx.clock());
    const count = (s: DeliveryOutcome["status"]) => outcomes.filter((o) => o.status === s).length;
    return { sent: count("sent"), failed: count("failed"), skipped: count("skipped"), ...(stop ? { stop } : {}) };
  };

  if (batch[0]!.attempts > ctx.maxClaims) {
    for (const d of batch) outcomes.push({ id: d.id, status: "failed", reason: `gave up: claimed ${d.attempts - 1} times without an answer recorded` });
    return record();
  }

  const sendable: ClaimedDelivery[] = [];
  for (const d of batch) {
    const why = notSendable(d);
    if (why) outcomes.push({ id: d.id, status: "skipped", reason: why });
    else sendable.push(d);
  }
  await ctx.content.ensure(ctx.db, sendable.map((d) => d.layout));
  const emails: OutgoingEmail[] = [];
  const inBatch: ClaimedDelivery[] = [];
  for (const d of sendable) {
    const stories = ctx.content.selection(d.layout);
    if (stories.length === 0) {
      outcomes.push({ id: d.id, status: "skipped", reason: "the planned stories are no longer available" });
      continue;
    }
    try {
      emails.push(await composeDigestEmail(ctx.config, ctx.renderer, recipientOf(d), d.edition, stories));
      inBatch.push(d);
    } catch (error) {
      ctx.log.error("digest render failed", { delivery: d.id, error: String(error) });
      outcomes.push({ id: d.id, status: "failed", reason: `could not render: ${String(error)}` });
    }
  }
  if (emails.length === 0) return record();

  const answer = await sendWithRetry(ctx.provider, emails, key);
  // The emails are not needed once the provider answered: let them go before the outcomes are recorded
  // (a database round trip during which other batches are rendered), so they die young.
  const subjects = emails.map((e) => e.subject);
  emails.length = 0;
  switch (answer.kind) {
    case "accepted":
      inBatch.forEach((d, i) => {
        const o = answer.outcomes[i];
        if (o?.ok) outcomes.push({ id: d.id, status: "sent", providerMessageId: o.id, subject: subjects[i]! });
        else outcomes.push({ id: d.id, status: "failed", reason: `rejected by the provider: ${o ? o.error : "no answer"}` });
      });
      return record();
    case "already-processed":
      // The provider holds this key: it processed the batch when we first sent it (our rows changed since,
      // so the body differs). Sending again would duplicate; the emails went out then.
      for (const [i, d] of inBatch.entries()) {
        outcomes.push({ id: d.id, status: "sent", subject: subjects[i]!, reason: "accepted earlier under the same idempotency key" });
      }
      return record();
    case "refused":
    case "later": {
      // No answer about these emails: hand the batch back whole (same key) and stop this run.
      const until = new Date(ctx.clock().getTime() + (answer.kind === "later" ? answer.retryAfterMs : 0));
      await recordOutcomes(ctx.db, key, outcomes, ctx.clock());
      await releaseBatch(ctx.db, key, until, ctx.clock());
      const skipped = outcomes.length;
      const reason = `${answer.kind === "refused" ? "provider refused the request" : "provider asked to wait"}: ${answer.error}`;
      return { sent: 0, failed: 0, skipped, stop: reason, handedBack: { reason, ...(answer.kind === "later" ? { retryAfterMs: answer.retryAfterMs } : {}) } };
    }
    case "failed":
      if (answer.retryable && ctx.handBackRetryable) {
        await recordOutcomes(ctx.db, key, outcomes, ctx.clock());
        await releaseBatch(ctx.db, key, ctx.clock(), ctx.clock());
        const reason = `provider unavailable: ${answer.error} (after ${answer.attempts} attempt${answer.attempts === 1 ? "" : "s"})`;
        return { sent: 0, failed: 0, skipped: outcomes.length, stop: reason, handedBack: { reason } };
      }
      for (const d of inBatch) outcomes.push({ id: d.id, status: "failed", reason: `${answer.error} (after ${answer.attempts} attempt${answer.attempts === 1 ? "" : "s"})` });
      return record(answer.retryable ? `provider unavailable: ${answer.error}` : undefined);
  }
}

/**
 * Runs `concurrency` workers until the queue is empty and `signal` says planning is done, or the provider
 * stops cooperating. Returns the totals of this process's work.
 */
export async function sendQueue(ctx: SendQueueContext, signal: WorkSignal, concurrency: number): Promise<SendTotals> {
  const totals: SendTotals = { sent: 0, failed: 0, skipped: 0, batches: 0 };
  // When this process last found no expired batch left to take over. Shared by its workers: one finding
  // none spares the others the look. reclaimExpiredBatch answers [] only then (a worker that lost a batch
  // to another looks again), so after a crash every worker keeps taking over until none is left.
  let lastFoundNoneExpired = -Infinity;
  const lease = () => new Date(ctx.clock().getTime() + ctx.leaseMs);

  const reclaim = async (): Promise<ClaimedDelivery[]> => {
    if (ctx.provider.pacer.now() - lastFoundNoneExpired < ctx.reclaimEveryMs) return [];
    const taken = await reclaimExpiredBatch(ctx.db, ctx.clock(), lease());
    if (taken.length === 0) lastFoundNoneExpired = ctx.provider.pacer.now();
    else ctx.log.warn("digest batch re-claimed after its lease expired", { batchKey: taken[0]!.batchKey, deliveries: taken.length, attempt: taken[0]!.attempts });
    return taken;
  };

  // Expired batches first: they were due before anything this process planned, and a live process's
  // planner can keep its own queue full for the whole morning.
  const claim = async (): Promise<ClaimedDelivery[]> => {
    const taken = await reclaim();
    if (taken.length > 0) return taken;
    return ctx.planned?.take() ?? claimQueuedBatch(ctx.db, ctx.clock(), lease(), ctx.batchSize);
  };

  const worker = async () => {
    while (!totals.stopped) {
      const planningDone = signal.done;
      const waiting = planningDone ? null : signal.wait();
      const batch = await claim();
      if (batch.length === 0) {
        if (planningDone) return;
        await waiting;
        continue;
      }
      const result = await sendBatch(ctx, batch);
      totals.sent += result.sent;
      totals.failed += result.failed;
      totals.skipped += result.skipped;
      totals.batches++;
      if (result.stop && !totals.stopped) {
        totals.stopped = result.stop;
        ctx.planned?.close();
        ctx.log.error("digest sending stopped for this run", { reason: result.stop });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return totals;
}
