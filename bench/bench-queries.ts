// The benchmark's own statements (never used by the service): statistics after a bulk load, checking a
// run's outcome, and rewinding a sample of subscribers so the same morning can be run again (naive
// rendering) on the same data.
import { and, count, eq, gte, inArray, like, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { deliveries, subscribers } from "../db/schema";

/** A generated subscriber (bench/generate.ts). */
export interface SubscriberSeed {
  id: string;
  email: string;
  countries: string[];
  frequency: string;
  weeklyDay: number | null;
  deliveryTime: string;
  timeZone: string;
  nextSendAt: string;
  lastEditionAt: string | null;
  createdAt: string;
}

/** Active subscribers, thousands a statement: the rows travel as one JSON parameter. */
export async function insertSubscriberSeeds(db: Db, rows: SubscriberSeed[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      email: r.email,
      countries: r.countries,
      frequency: r.frequency,
      weekly_day: r.weeklyDay,
      delivery_time: r.deliveryTime,
      time_zone: r.timeZone,
      next_send_at: r.nextSendAt,
      last_edition_at: r.lastEditionAt,
      created_at: r.createdAt,
    })),
  );
  await db.execute(sql`insert into subscribers (id, email, status, countries, frequency, weekly_day, delivery_time, time_zone,
      next_send_at, last_edition_at, token_version, origin, confirmed_at, created_at, updated_at)
    select v.id, v.email, 'active', array(select jsonb_array_elements_text(v.countries)), v.frequency, v.weekly_day,
      v.delivery_time, v.time_zone, v.next_send_at, v.last_edition_at, 1, 'web', v.created_at, v.created_at, v.created_at
    from jsonb_to_recordset(${json}::jsonb) as v(id uuid, email text, countries jsonb, frequency text, weekly_day smallint,
      delivery_time text, time_zone text, next_send_at timestamptz, last_edition_at timestamptz, created_at timestamptz)`);
}

/** Yesterday's sent editions (history for "never a story twice"), thousands a statement. */
export async function insertSentHistory(
  db: Db,
  rows: Array<{ subscriberId: string; edition: string; at: string; storyIds: number[] }>,
): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(rows.map((r) => ({ s: r.subscriberId, e: r.edition, at: r.at, ids: r.storyIds })));
  await db.execute(sql`insert into deliveries (subscriber_id, edition, due_at, status, story_ids, layout, attempts, batch_key,
      provider_message_id, subject, created_at, updated_at, sent_at)
    select v.s, v.e, v.at, 'sent', array(select jsonb_array_elements_text(v.ids)::int), '[]'::jsonb, 1, 'digest-yesterday',
      'yesterday-' || v.s, 'Yesterday''s digest', v.at, v.at, v.at
    from jsonb_to_recordset(${json}::jsonb) as v(s uuid, e text, at timestamptz, ids jsonb)`);
}

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
