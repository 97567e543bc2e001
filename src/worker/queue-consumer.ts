// Workers with Cloudflare Queues: the consumer (the Worker's queue() handler). Each "send" message is one
// batch: the consumer takes every delivery still `sending` under its key, builds the emails from the
// database (the identical bytes on every try), sends them under the key (sendBatch, the same code the
// Node senders and the cron-only path use) and acknowledges the message only once the outcomes are
// recorded. A batch the provider does not answer — 429 with a long Retry-After, 5xx after a few quick
// tries, refused credentials — goes back to the queue with a delay (Retry-After, else backoff); after
// max_retries the queue moves it to the dead-letter queue, whose messages this consumer records failed.
//
// A message delivered twice finds its batch recorded and is acknowledged; delivered twice at once, both
// send the identical request under one key and the provider answers the second from its store. A message
// this consumer cannot use (malformed, or naming no batch that waits) is logged and acknowledged: the
// database, not the queue, is the truth, and the Cron Trigger's sweep re-enqueues any batch left waiting.
import { failDeadLetteredBatch, holdBatch, recordedInBatch, takeBatch } from "../../db/queries/queue-batches";
import type { Deps } from "../deps";
import { ContentCache } from "../digest/content-cache";
import type { DigestRenderer } from "../digest/compose-email";
import { realPacer, type Pacer, type RetryPolicy } from "../digest/provider-calls";
import { createDigestRenderer } from "../digest/render-digest";
import { sendBatch, type SendQueueContext } from "../digest/send-queue";
import { createSharedRateLimiter } from "../digest/shared-rate-limiter";
import { fanOutDigests, QUEUE_LEASE_MS, type FanOutSettings } from "./fan-out";
import { readMessage, retryDelaySeconds, type DigestQueue, type QueueMessage, type QueueMessageBatch, type SendMessage } from "./queue-messages";

/** Messages of one invocation sent at once: with the database's connections, under the 6 a Worker may open. */
export const CONSUMER_CONCURRENCY = 2;
/**
 * Quick tries within one delivery of a message (re-rendering a batch costs CPU, waiting does not): up to
 * 3 requests with 1-4 s between them, Retry-After up to 10 s waited here; longer goes back to the queue.
 */
export const CONSUMER_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 4_000, maxRetryAfterMs: 10_000 };
/**
 * A batch taken this many times without an outcome recorded is failed by sendBatch itself. The queue's own
 * max_retries (wrangler.toml) dead-letters a failing batch well before; this bounds the sweep's re-sends.
 */
export const QUEUE_MAX_CLAIMS = 20;
/** The provider's name in the shared pacing table (db/queries/send-pacing.ts). */
export const PACING_KEY = "resend";

export interface QueueConsumerDeps extends Deps {
  /** Monotonic time and sleep (tests: virtual). */
  pacer?: Pacer;
  random?: () => number;
  createRenderer?: () => DigestRenderer;
}

export interface QueueConsumerSettings extends FanOutSettings {
  /** The dead-letter queue's name (DIGEST_DEAD_LETTER_QUEUE): its messages are recorded failed. */
  deadLetterQueue: string;
  /** The digest queue's producer binding, for "plan more" (null: planning stays with the Cron Trigger). */
  queue: DigestQueue | null;
  /** First delay before the queue delivers a handed-back batch again, doubling per try (WORKER_QUEUE_RETRY_SECONDS). */
  retrySeconds: number;
}

export interface ConsumeTotals {
  sent: number;
  failed: number;
  skipped: number;
  /** Messages acknowledged / given back to the queue for a later try / acknowledged as unusable. */
  acked: number;
  retried: number;
  ignored: number;
  /** Deliveries recorded failed from the dead-letter queue. */
  deadLettered: number;
}

export async function consumeDigestQueue(deps: QueueConsumerDeps, batch: QueueMessageBatch, settings: QueueConsumerSettings): Promise<ConsumeTotals> {
  const totals: ConsumeTotals = { sent: 0, failed: 0, skipped: 0, acked: 0, retried: 0, ignored: 0, deadLettered: 0 };
  const sends: Array<{ message: QueueMessage; body: SendMessage }> = [];
  const plans: QueueMessage[] = [];
  for (const message of batch.messages) {
    const read = readMessage(message.body);
    if (!read.ok) {
      deps.log.error("digest queue message is malformed; acknowledged", { queue: batch.queue, messageId: message.id, error: read.error });
      message.ack();
      totals.ignored++;
    } else if (read.message.kind === "plan") plans.push(message);
    else sends.push({ message, body: read.message });
  }

  if (batch.queue === settings.deadLetterQueue) {
    await deadLetter(deps, [...plans.map((message) => ({ message, body: null })), ...sends], totals);
  } else {
    // Planning first: its batches reach the queue sooner.
    for (const message of plans) await plan(deps, message, settings, totals);
    await sendAll(deps, sends, settings, totals);
  }
  deps.log.info("digest queue batch", { queue: batch.queue, messages: batch.messages.length, ...totals });
  return totals;
}

async function plan(deps: QueueConsumerDeps, message: QueueMessage, settings: QueueConsumerSettings, totals: ConsumeTotals): Promise<void> {
  if (!settings.queue) {
    deps.log.error("a plan-more message reached a Worker without the DIGEST_QUEUE producer binding; the Cron Trigger plans instead", {});
    message.ack();
    totals.ignored++;
    return;
  }
  try {
    const result = await fanOutDigests(deps, settings.queue, settings, { sweep: false });
    deps.log.info("digest planning continued from the queue", { ...result });
    message.ack();
    totals.acked++;
  } catch (error) {
    deps.log.error("digest planning from the queue failed; the queue delivers the message again", { attempt: message.attempts, error: String(error) });
    message.retry({ delaySeconds: retryDelaySeconds(message.attempts, settings.retrySeconds) });
    totals.retried++;
  }
}

async function sendAll(
  deps: QueueConsumerDeps,
  sends: Array<{ message: QueueMessage; body: SendMessage }>,
  settings: QueueConsumerSettings,
  totals: ConsumeTotals,
): Promise<void> {
  if (sends.length === 0) return;
  const pacer = deps.pacer ?? realPacer;
  const ctx: SendQueueContext = {
    db: deps.db,
    config: deps.config,
    clock: deps.clock,
    log: deps.log,
    renderer: (deps.createRenderer ?? createDigestRenderer)(),
    content: new ContentCache(),
    provider: {
      mailer: deps.mailer,
      // SEND_RATE_PER_SECOND across every consumer running at once, not per consumer.
      limiter: createSharedRateLimiter(deps.db, PACING_KEY, deps.config.SEND_RATE_PER_SECOND, pacer),
      pacer,
      random: deps.random ?? Math.random,
      policy: CONSUMER_RETRY,
      onRetry: (info) => deps.log.warn("digest batch retry", info),
    },
    batchSize: 100,
    leaseMs: QUEUE_LEASE_MS,
    maxClaims: QUEUE_MAX_CLAIMS,
    reclaimEveryMs: Number.POSITIVE_INFINITY,
    handBackRetryable: true,
  };
  // Once the provider asks to wait (or is down, or refuses us), the rest of this delivery waits as long.
  let pause: number | null = null;
  let next = 0;
  const lane = async () => {
    while (next < sends.length) {
      const { message, body } = sends[next++]!;
      if (pause !== null) {
        message.retry({ delaySeconds: pause });
        totals.retried++;
        continue;
      }
      const delay = await sendOne(deps, ctx, message, body, settings, totals);
      if (delay !== null) pause = Math.max(pause ?? 0, delay);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONSUMER_CONCURRENCY, sends.length) }, lane));
}

/** Sends one batch; returns the delay it was given back to the queue with, or null when it is settled. */
async function sendOne(
  deps: QueueConsumerDeps,
  ctx: SendQueueContext,
  message: QueueMessage,
  body: SendMessage,
  settings: QueueConsumerSettings,
  totals: ConsumeTotals,
): Promise<number | null> {
  const { batchKey } = body;
  const giveBack = async (reason: string, retryAfterMs?: number): Promise<number> => {
    const delaySeconds = retryDelaySeconds(message.attempts, settings.retrySeconds, retryAfterMs);
    // The lease outlives the delay, so the sweep does not enqueue the batch again meanwhile.
    await holdBatch(deps.db, batchKey, new Date(deps.clock().getTime() + delaySeconds * 1000 + QUEUE_LEASE_MS), reason, deps.clock());
    message.retry({ delaySeconds });
    totals.retried++;
    deps.log.warn("digest batch back to the queue", { batchKey, attempt: message.attempts, delaySeconds, reason });
    return delaySeconds;
  };
  try {
    const taken = await takeBatch(deps.db, batchKey, deps.clock(), new Date(deps.clock().getTime() + QUEUE_LEASE_MS));
    if (taken.length === 0) {
      const recorded = await recordedInBatch(deps.db, batchKey, body.deliveries);
      if (recorded > 0) deps.log.info("digest queue message repeated: its batch is already recorded; acknowledged", { batchKey, attempt: message.attempts });
      else deps.log.warn("digest queue message names no batch waiting to be sent; acknowledged", { batchKey, deliveries: body.deliveries.length });
      message.ack();
      totals.ignored++;
      return null;
    }
    const result = await sendBatch(ctx, taken);
    totals.sent += result.sent;
    totals.failed += result.failed;
    totals.skipped += result.skipped;
    if (result.handedBack) return await giveBack(result.handedBack.reason, result.handedBack.retryAfterMs);
    // Outcomes recorded (sendBatch returns after recording them): only now is the message done.
    message.ack();
    totals.acked++;
    return null;
  } catch (error) {
    deps.log.error("digest queue message failed; the queue delivers it again", { batchKey, attempt: message.attempts, error: String(error) });
    try {
      await giveBack(`consumer error: ${String(error)}`);
    } catch {
      // The database may be what failed: the queue retries the message all the same.
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, settings.retrySeconds) });
      totals.retried++;
    }
    return null;
  }
}

/** The dead-letter queue: batches the digest queue gave up on are recorded failed, with the last reason. */
async function deadLetter(deps: QueueConsumerDeps, messages: Array<{ message: QueueMessage; body: SendMessage | null }>, totals: ConsumeTotals): Promise<void> {
  for (const { message, body } of messages) {
    if (!body) {
      deps.log.warn("a plan-more message was dead-lettered; the next Cron Trigger plans what is still due", {});
      message.ack();
      totals.ignored++;
      continue;
    }
    try {
      const failed = await failDeadLetteredBatch(
        deps.db,
        body.batchKey,
        "dead-lettered: the digest queue gave up on this batch after its retries (max_retries in wrangler.toml)",
        deps.clock(),
      );
      if (failed > 0) deps.log.error("digest batch dead-lettered: its deliveries are recorded failed", { batchKey: body.batchKey, deliveries: failed });
      else deps.log.info("dead-lettered digest batch was already recorded; acknowledged", { batchKey: body.batchKey });
      totals.deadLettered += failed;
      message.ack();
      totals.acked++;
    } catch (error) {
      deps.log.error("recording a dead-lettered digest batch failed; the dead-letter queue delivers it again", { batchKey: body.batchKey, error: String(error) });
      message.retry();
      totals.retried++;
    }
  }
}
