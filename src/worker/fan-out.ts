// Workers with Cloudflare Queues: the Cron Trigger (and a "plan more" message) plans what is due and hands
// each batch to the queue as one small message; the consumers (queue-consumer.ts) send them, as many at
// once as wrangler.toml's max_concurrency allows. Planning is bounded per invocation (WORKER_PLAN_LIMIT);
// when more is due, a "plan more" message continues at once instead of waiting for the next trigger.
//
// Nothing is lost between the database and the queue: the planner inserts each batch already claimed
// (`sending`, a batch key, a lease of QUEUE_LEASE_MS) in its transaction and enqueues it after the commit.
// A batch whose message never arrives — the Worker died between the commit and the enqueue, or the queue
// lost it — keeps its lease until it runs out; the next Cron Trigger's sweep leases it again and enqueues
// it again, under the same key.
import { claimQueuedBatch, pendingDeliveryCount } from "../../db/queries/deliveries";
import { releaseExpiredForQueue } from "../../db/queries/queue-batches";
import type { Deps } from "../deps";
import { planDue } from "../digest/plan-due";
import { PlannedBatches } from "../digest/planned-batches";
import { planningOptions } from "../digest/tick";
import { packForSendBatch, sendMessage, type DigestMessage, type DigestQueue } from "./queue-messages";

/**
 * How long a batch handed to the queue is trusted to come back as a message before the sweep enqueues it
 * again. Longer than the queue's backlog may take to drain (capped below at BACKLOG_SECONDS of sending),
 * so a batch merely waiting its turn is not enqueued twice (that would be harmless, only wasted work).
 */
export const QUEUE_LEASE_MS = 30 * 60_000;
/** Planning pauses while more than this many seconds of sending (at SEND_RATE_PER_SECOND) wait in the queue. */
const BACKLOG_SECONDS = 600;
/** A paused "plan more" looks again after this long. */
const PLAN_AGAIN_SECONDS = 60;
/** Batches per trigger enqueued again by the sweep, and batched from deliveries left `queued`. */
const SWEEP_BATCHES = 200;
const REBATCH_BATCHES = 50;
const BATCH_SIZE = 100;

export interface FanOutSettings {
  /** Subscribers planned per invocation (WORKER_PLAN_LIMIT). */
  planSubscribers: number;
  /** Deliveries waiting to be sent above which planning pauses (default: maxBacklog(config)). */
  maxBacklog?: number;
}

/** BACKLOG_SECONDS of sending at SEND_RATE_PER_SECOND requests of 100 emails (120,000 at the default 2/s). */
export function maxBacklog(config: Pick<Deps["config"], "SEND_RATE_PER_SECOND">): number {
  return Math.ceil(config.SEND_RATE_PER_SECOND * BATCH_SIZE * BACKLOG_SECONDS);
}

export interface FanOutResult {
  /** Batches whose lease ran out, enqueued again. */
  resent: number;
  /** Batches made from deliveries found `queued` (e.g. left by a cron-only deployment). */
  rebatched: number;
  /** Deliveries planned to be sent, and batches enqueued for them. */
  planned: number;
  batches: number;
  skipped: number;
  missed: number;
  /** A "plan more" message was enqueued. */
  more: boolean;
  /** Planning waited: the queue held more than BACKLOG_SECONDS of sending. */
  paused?: boolean;
  /** Messages the queue refused (their batches are enqueued again by the sweep when their lease runs out). */
  unsent: number;
}

/** Enqueues messages in as few sendBatch calls as Cloudflare allows; returns how many it could not. */
async function enqueue(deps: Deps, queue: DigestQueue, messages: readonly DigestMessage[]): Promise<number> {
  let unsent = 0;
  for (const call of packForSendBatch(messages)) {
    try {
      await queue.sendBatch(call);
    } catch (error) {
      unsent += call.length;
      deps.log.error("digest queue refused messages; their batches are enqueued again once their lease runs out", {
        messages: call.length,
        error: String(error),
      });
    }
  }
  return unsent;
}

/** Enqueues a "plan more" message; if the queue refuses it, the next Cron Trigger plans what is still due. */
async function planMore(deps: Deps, queue: DigestQueue, delaySeconds: number): Promise<boolean> {
  try {
    await queue.send({ kind: "plan" }, { contentType: "json", ...(delaySeconds > 0 ? { delaySeconds } : {}) });
    return true;
  } catch (error) {
    deps.log.error("digest queue refused the plan-more message; the next Cron Trigger plans what is still due", { error: String(error) });
    return false;
  }
}

/**
 * One planning invocation. `sweep`: also enqueue again the batches whose lease ran out and batch the
 * deliveries left `queued` (the Cron Trigger does; a "plan more" message only plans).
 */
export async function fanOutDigests(deps: Deps, queue: DigestQueue, settings: FanOutSettings, options: { sweep: boolean }): Promise<FanOutResult> {
  const result: FanOutResult = { resent: 0, rebatched: 0, planned: 0, batches: 0, skipped: 0, missed: 0, more: false, unsent: 0 };
  const leaseUntil = () => new Date(deps.clock().getTime() + QUEUE_LEASE_MS);

  if (options.sweep) {
    const expired = await releaseExpiredForQueue(deps.db, deps.clock(), leaseUntil(), SWEEP_BATCHES);
    const rebatched: DigestMessage[] = [];
    for (let i = 0; i < REBATCH_BATCHES; i++) {
      const batch = await claimQueuedBatch(deps.db, deps.clock(), leaseUntil(), BATCH_SIZE);
      if (batch.length === 0) break;
      rebatched.push(sendMessage(batch[0]!.batchKey, batch.map((d) => d.id)));
    }
    if (expired.length > 0) deps.log.warn("digest batches whose queue message never came are enqueued again", { batches: expired.length });
    result.resent = expired.length;
    result.rebatched = rebatched.length;
    result.unsent += await enqueue(deps, queue, [...expired.map((b) => sendMessage(b.batchKey, b.ids)), ...rebatched]);
  }

  // Planning far ahead of sending would only make batches wait in the queue past their lease.
  const backlog = await pendingDeliveryCount(deps.db);
  if (backlog > (settings.maxBacklog ?? maxBacklog(deps.config))) {
    result.paused = true;
    if (!options.sweep) {
      // This invocation continues a chain of "plan more" messages: keep it going, later.
      result.more = await planMore(deps, queue, PLAN_AGAIN_SECONDS);
    }
    return result;
  }

  let sending = Promise.resolve();
  const planned: PlannedBatches = new PlannedBatches(Number.MAX_SAFE_INTEGER, () => {
    // After each planning transaction committed: its batches go to the queue while the next chunk is planned.
    const messages: DigestMessage[] = [];
    for (let batch = planned.take(); batch; batch = planned.take()) messages.push(sendMessage(batch[0]!.batchKey, batch.map((d) => d.id)));
    result.batches += messages.length;
    sending = sending.then(async () => {
      result.unsent += await enqueue(deps, queue, messages);
    });
  });
  const planOptions = await planningOptions(deps, deps.clock(), { limit: settings.planSubscribers });
  // Batches committed before a failure are enqueued all the same.
  const totals = await planDue(deps.db, { ...planOptions, claims: { batchSize: BATCH_SIZE, leaseUntil, batches: planned } }).finally(() => sending);
  result.planned = totals.planned;
  result.skipped = totals.skipped;
  result.missed = totals.missed;
  if (totals.subscribers >= settings.planSubscribers) {
    // The bound was reached: more may be due. The next lot is planned by a consumer, now.
    result.more = await planMore(deps, queue, 0);
  }
  return result;
}
