// Batches of deliveries as the Workers queue carries them: a message names a batch key (and, for people
// reading the queue, its delivery ids). The key is the truth: whoever sends a batch sends every delivery
// still `sending` under it, so every request made under one idempotency key holds the same emails — a
// batch only ever shrinks, as outcomes are recorded — and the provider can answer a repeat from its store.
//
// While a batch waits in the queue its lease says until when the message is trusted to come: a batch
// whose lease ran out (the message was lost, or the Worker died between planning and enqueueing) is
// leased again and enqueued again by the next Cron Trigger.
import { sql } from "drizzle-orm";
import type { Db } from "../client";
import { textArray } from "./array-literal";
import { byId, claimedColumns, rowsOf, toClaimed, type ClaimedDelivery } from "./deliveries";

const iso = (d: Date) => d.toISOString();

/**
 * Takes a batch to send it now: every delivery still `sending` under the key, with a new lease and one
 * more attempt. Rows are locked in id order, so a message delivered twice at once queues one taker behind
 * the other (no deadlock); both then send the identical request, which the provider answers once.
 * [] when nothing under the key waits any more (already recorded, or no such batch).
 */
export async function takeBatch(db: Db, batchKey: string, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`with picked as (
          select id from deliveries
          where batch_key = ${batchKey} and status = 'sending'
          order by id
          for update
        )
        update deliveries d
        set lease_until = ${iso(leaseUntil)}::timestamptz, attempts = d.attempts + 1, updated_at = ${iso(now)}::timestamptz
        from picked, subscribers s
        where d.id = picked.id and s.id = d.subscriber_id
        returning ${claimedColumns}`,
  );
  return rows.map(toClaimed).sort(byId);
}

/** How many of these deliveries were recorded under the key (a message seen again after its batch was done). */
export async function recordedInBatch(db: Db, batchKey: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await rowsOf<{ n: number | string }>(
    db,
    sql`select count(*)::int as n from deliveries
        where id = any(${textArray([...ids])}::uuid[]) and batch_key = ${batchKey} and status not in ('queued', 'sending')`,
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Keeps a batch that goes back to the queue: its lease runs to `until` (past the queue's retry delay) and
 * its deliveries remember why, for the dead-letter queue to record if the batch never goes out.
 */
export async function holdBatch(db: Db, batchKey: string, until: Date, reason: string, now: Date): Promise<number> {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`update deliveries
        set lease_until = ${iso(until)}::timestamptz, reason = ${reason.slice(0, 1000)}, updated_at = ${iso(now)}::timestamptz
        where batch_key = ${batchKey} and status = 'sending'
        returning id`,
  );
  return rows.length;
}

/**
 * The dead-letter queue's word on a batch that kept failing: every delivery still `sending` under the key is
 * recorded failed, with `why` and the last reason the batch was given back (holdBatch). Returns the count.
 */
export async function failDeadLetteredBatch(db: Db, batchKey: string, why: string, now: Date): Promise<number> {
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`update deliveries
        set status = 'failed', lease_until = null, updated_at = ${iso(now)}::timestamptz,
            reason = left(${why} || coalesce('; last: ' || reason, ''), 1000)
        where batch_key = ${batchKey} and status = 'sending'
        returning id`,
  );
  return rows.length;
}

export interface LeasedBatch {
  batchKey: string;
  ids: string[];
}

/**
 * Batches whose lease ran out, leased again until `leaseUntil` to be enqueued again: at most `limit`
 * batches, the longest expired first. Rows another transaction holds are skipped (this is a sweep; they
 * are taken care of by their holder, or by the next sweep).
 */
export async function releaseExpiredForQueue(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<LeasedBatch[]> {
  const rows = await rowsOf<{ id: string; batch_key: string }>(
    db,
    sql`with expired as (
          select batch_key from deliveries
          where status = 'sending' and lease_until < ${iso(now)}::timestamptz
          group by batch_key
          order by min(lease_until)
          limit ${limit}
        ), picked as (
          select d.id from deliveries d
          where d.status = 'sending' and d.lease_until < ${iso(now)}::timestamptz
            and d.batch_key in (select batch_key from expired)
          for update of d skip locked
        )
        update deliveries d
        set lease_until = ${iso(leaseUntil)}::timestamptz, updated_at = ${iso(now)}::timestamptz
        from picked
        where d.id = picked.id
        returning d.id, d.batch_key`,
  );
  const byKey = new Map<string, string[]>();
  for (const r of rows) {
    const key = String(r.batch_key);
    let ids = byKey.get(key);
    if (!ids) byKey.set(key, (ids = []));
    ids.push(String(r.id));
  }
  return [...byKey].map(([batchKey, ids]) => ({ batchKey, ids: ids.sort() }));
}
