// The benchmark's own statements (never used by the service): statistics after a bulk load, checking a
// run's outcome, and rewinding a sample of subscribers so the same morning can be run again (naive
// rendering) on the same data.
import { and, count, eq, gte, inArray, like, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { deliveries, subscribers } from "../db/schema";

export async function analyze(db: Db): Promise<void> {
  await db.execute(sql`analyze`);
}

/** Deliveries planned at `plannedAt` (the tick's now), by status. */
export async function outcomesOf(db: Db, plannedAt: Date): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: deliveries.status, n: count() })
    .from(deliveries)
    .where(eq(deliveries.createdAt, plannedAt))
    .groupBy(deliveries.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

export interface ScheduleSnapshot {
  id: string;
  nextSendAt: Date | null;
  lastEditionAt: Date | null;
}

/** A random sample (ids are random UUIDs) of the generated subscribers' schedules. */
export async function sampleSchedules(db: Db, size: number, emailPrefix = "reader"): Promise<ScheduleSnapshot[]> {
  return db
    .select({ id: subscribers.id, nextSendAt: subscribers.nextSendAt, lastEditionAt: subscribers.lastEditionAt })
    .from(subscribers)
    .where(like(subscribers.email, `${emailPrefix}%`))
    .orderBy(subscribers.id)
    .limit(size);
}

/** Undoes a morning for these subscribers: their new deliveries go, their schedules come back. */
export async function rewindSubscribers(db: Db, snapshot: ScheduleSnapshot[], plannedAt: Date): Promise<void> {
  for (let i = 0; i < snapshot.length; i += 2_000) {
    const part = snapshot.slice(i, i + 2_000);
    await db.delete(deliveries).where(and(inArray(deliveries.subscriberId, part.map((s) => s.id)), gte(deliveries.createdAt, plannedAt)));
    const json = JSON.stringify(part.map((s) => ({ id: s.id, next: s.nextSendAt?.toISOString() ?? null, last: s.lastEditionAt?.toISOString() ?? null })));
    await db.execute(sql`update subscribers s set next_send_at = v.next, last_edition_at = v.last
      from jsonb_to_recordset(${json}::jsonb) as v(id uuid, next timestamptz, last timestamptz) where s.id = v.id`);
  }
}

/** Subscribers for the web benchmark's links (id and token version). */
export async function someSubscribers(db: Db, limit: number): Promise<Array<{ id: string; tokenVersion: number }>> {
  return db.select({ id: subscribers.id, tokenVersion: subscribers.tokenVersion }).from(subscribers).orderBy(subscribers.id).limit(limit);
}
