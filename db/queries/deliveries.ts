// Deliveries: one row per subscriber and edition, the unit of exactly-once sending.
//
// queued → sending (lease) → sent | failed | skipped;  missed / skipped can also be recorded at planning.
// Every statement here works on many rows at once: the morning run plans 1,000 subscribers in four
// statements and claims / records 100 deliveries in one statement each. Rows travel as one array
// parameter per column (unnest of array literals, array-literal.ts), which behaves the same on postgres.js
// and PGlite, never hits the 65,535-parameter limit and spares the server parsing a JSON document.
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, type DeliveryLayout, type DeliveryStatus, type Frequency, type SubscriberStatus } from "../schema";
import { bracedList, textArray } from "./array-literal";

/** Rows of a raw statement on either driver (postgres.js: an array; PGlite: { rows }). */
export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

const iso = (d: Date) => d.toISOString();
const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));
const toIntArray = (v: unknown): number[] => {
  if (Array.isArray(v)) return v.map(Number);
  if (typeof v === "string") return v.replace(/[{}]/g, "").split(",").filter(Boolean).map(Number);
  return [];
};
const toTextArray = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === "string") return v.replace(/[{}"]/g, "").split(",").filter(Boolean);
  return [];
};

/** jsonb arrives parsed on both drivers; be strict anyway (the layout decides what is rendered). */
export function toLayout(v: unknown): DeliveryLayout {
  const value = typeof v === "string" ? (JSON.parse(v) as unknown) : v;
  if (!Array.isArray(value)) return [];
  return value.flatMap((e: unknown) => {
    const item = e as { story?: unknown; country?: unknown; lead?: unknown; alternatives?: unknown };
    if (!item || typeof item.story !== "number" || typeof item.lead !== "number") return [];
    return [
      {
        story: item.story,
        country: String(item.country ?? ""),
        lead: item.lead,
        alternatives: Array.isArray(item.alternatives) ? item.alternatives.filter((x): x is number => typeof x === "number") : [],
      },
    ];
  });
}

// ---------------------------------------------------------------------------------------------- planning

/**
 * Call first in a planning transaction: reach rows through their indexes. Every statement of a chunk names
 * the rows it wants (the 1,000 subscribers just locked), but during a morning burst PostgreSQL plans with
 * statistics taken before the morning's inserts, and prefers scanning the whole deliveries or subscribers
 * table once per chunk to 1,000 index probes: quadratic over a 100,000-subscriber morning (measured: most
 * of the database's time). Scoped to the transaction (set local); a table with no usable index is still
 * scanned.
 */
export async function preferIndexLookups(db: Db): Promise<void> {
  await db.execute(sql`set local enable_seqscan = off`);
}

/** What planning needs to know about a subscriber whose digest is due. */
export interface DueSubscriber {
  id: string;
  email: string;
  countries: string[];
  frequency: Frequency;
  weeklyDay: number | null;
  deliveryTime: string;
  timeZone: string;
  nextSendAt: Date;
  lastEditionAt: Date | null;
  tokenVersion: number;
}

/**
 * Active, not suppressed subscribers whose next send instant has come, oldest first. Locks the rows
 * (FOR UPDATE SKIP LOCKED): call inside the planning transaction, so concurrent planners take disjoint sets.
 */
export async function dueSubscribers(
  db: Db,
  now: Date,
  limit: number,
  /** A dry run reads without locking, a page at a time. */
  options: { lock?: boolean; offset?: number } = {},
): Promise<DueSubscriber[]> {
  const lock = options.lock ?? true;
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`select s.id, s.email, s.countries, s.frequency, s.weekly_day, s.delivery_time, s.time_zone,
               s.next_send_at, s.last_edition_at, s.token_version
        from subscribers s
        where s.status = 'active' and s.next_send_at <= ${iso(now)}::timestamptz
          and not exists (select 1 from suppressions x where x.email = s.email)
        ${
          lock
            ? // Index order (subscribers_due_idx), so a chunk reads only the rows it takes.
              sql`order by s.next_send_at limit ${limit} for update of s skip locked`
            : // Paging needs a total order.
              sql`order by s.next_send_at, s.id limit ${limit} offset ${options.offset ?? 0}`
        }`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    email: String(r.email),
    countries: toTextArray(r.countries),
    frequency: r.frequency as Frequency,
    weeklyDay: r.weekly_day === null || r.weekly_day === undefined ? null : Number(r.weekly_day),
    deliveryTime: String(r.delivery_time),
    timeZone: String(r.time_zone),
    nextSendAt: toDate(r.next_send_at),
    lastEditionAt: toDateOrNull(r.last_edition_at),
    tokenVersion: Number(r.token_version),
  }));
}

/**
 * Story ids already given to each subscriber (sent, or on their way: queued / sending) in deliveries
 * created since `since`. Failed, skipped and missed deliveries gave them nothing.
 */
export async function givenStoryIds(db: Db, subscriberIds: string[], since: Date): Promise<Map<string, Set<number>>> {
  const given = new Map<string, Set<number>>();
  if (subscriberIds.length === 0) return given;
  // One array parameter instead of one parameter per id: a planning chunk names 1,000 subscribers.
  const rows = await rowsOf<{ subscriber_id: string; story_ids: unknown }>(
    db,
    sql`select subscriber_id, story_ids from deliveries
        where subscriber_id = any(${bracedList([...subscriberIds])}::uuid[])
          and status in ('queued', 'sending', 'sent') and created_at >= ${iso(since)}::timestamptz
          and cardinality(story_ids) > 0`,
  );
  for (const row of rows) {
    const id = String(row.subscriber_id);
    let set = given.get(id);
    if (!set) given.set(id, (set = new Set()));
    for (const storyId of toIntArray(row.story_ids)) set.add(storyId);
  }
  return given;
}

const jsonNumber = (n: number) => (Number.isFinite(n) ? String(n) : "null");
const literalString = (s: string) => JSON.stringify(s).replace(/["\\]/g, "\\$&");

/**
 * textArray(layouts.map(JSON.stringify)), written directly: a morning's planning chunk names ~10,000
 * layout entries, and escaping their JSON afterwards was its largest allocation (test/db-array-literal).
 */
export function layoutsArray(layouts: readonly DeliveryLayout[]): string {
  const parts: string[] = [];
  for (const layout of layouts) {
    const entries: string[] = [];
    for (const e of layout) entries.push(entryLiteral(e));
    parts.push(`"[${entries.join(",")}]"`);
  }
  return bracedList(parts);
}

// The planner reuses one entry object for every delivery showing a story the same way (layout.ts):
// its text is made once.
const entryTexts = new WeakMap<DeliveryLayout[number], string>();
function entryLiteral(e: DeliveryLayout[number]): string {
  let text = entryTexts.get(e);
  if (text === undefined) {
    text = `{\\"story\\":${jsonNumber(e.story)},\\"country\\":${literalString(e.country)},\\"lead\\":${jsonNumber(e.lead)},\\"alternatives\\":[${e.alternatives.map(jsonNumber).join(",")}]}`;
    entryTexts.set(e, text);
  }
  return text;
}

/** A delivery decided at planning time. */
export interface PlannedDelivery {
  subscriberId: string;
  edition: string;
  dueAt: Date;
  status: Extract<DeliveryStatus, "queued" | "skipped" | "missed">;
  storyIds: number[];
  layout: DeliveryLayout;
  reason: string | null;
}

/**
 * A queued delivery claimed by its planner in the same statement: inserted as `sending`, with its id
 * chosen beforehand so the batch key (derived from the batch's ids, as claimQueuedBatch derives it) is
 * known, and a lease. Saves the morning run one write and one statement per delivery.
 */
export interface PlannedClaim {
  id: string;
  batchKey: string;
  leaseUntil: Date;
}

/**
 * Inserts planned deliveries; an edition already planned (by another process, or before a crash) is left
 * alone (unique subscriber + edition). Returns the rows actually inserted.
 */
export async function insertPlannedDeliveries(
  db: Db,
  rows: Array<PlannedDelivery & { claim?: PlannedClaim }>,
  now: Date,
): Promise<Array<{ id: string; subscriberId: string; edition: string; status: DeliveryStatus }>> {
  if (rows.length === 0) return [];
  // One array parameter per column (array-literal.ts): no per-row parameters, no JSON document to parse.
  const inserted = await rowsOf<Record<string, unknown>>(
    db,
    sql`insert into deliveries (id, subscriber_id, edition, due_at, status, story_ids, layout, reason, batch_key, lease_until,
                                attempts, created_at, updated_at)
        select coalesce(v.id::uuid, gen_random_uuid()), v.subscriber_id::uuid, v.edition, v.due_at::timestamptz,
               case when v.batch_key is null then v.status else 'sending' end, v.story_ids::int[], v.layout::jsonb, v.reason,
               v.batch_key, v.lease_until::timestamptz, case when v.batch_key is null then 0 else 1 end,
               ${iso(now)}::timestamptz, ${iso(now)}::timestamptz
        from unnest(${textArray(rows.map((r) => r.claim?.id ?? null))}::text[],
                    ${textArray(rows.map((r) => r.subscriberId))}::text[], ${textArray(rows.map((r) => r.edition))}::text[],
                    ${textArray(rows.map((r) => iso(r.dueAt)))}::text[], ${textArray(rows.map((r) => r.status))}::text[],
                    ${textArray(rows.map((r) => `{${r.storyIds.join(",")}}`))}::text[],
                    ${layoutsArray(rows.map((r) => r.layout))}::text[], ${textArray(rows.map((r) => r.reason))}::text[],
                    ${textArray(rows.map((r) => r.claim?.batchKey ?? null))}::text[],
                    ${textArray(rows.map((r) => (r.claim ? iso(r.claim.leaseUntil) : null)))}::text[])
             as v(id, subscriber_id, edition, due_at, status, story_ids, layout, reason, batch_key, lease_until)
        on conflict (subscriber_id, edition) do nothing
        returning id, subscriber_id, edition, status`,
  );
  return inserted.map((r) => ({
    id: String(r.id),
    subscriberId: String(r.subscriber_id),
    edition: String(r.edition),
    status: r.status as DeliveryStatus,
  }));
}

/** Gives planner-claimed deliveries new batch keys (when some of a batch were not inserted: conflicts). */
export async function rekeyDeliveries(db: Db, rows: Array<{ id: string; batchKey: string }>, now: Date): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(
    sql`update deliveries d set batch_key = v.key, updated_at = ${iso(now)}::timestamptz
        from unnest(${textArray(rows.map((r) => r.id))}::text[], ${textArray(rows.map((r) => r.batchKey))}::text[]) as v(id, key)
        where d.id = v.id::uuid and d.status = 'sending'`,
  );
}

/**
 * Puts claimed batches that were never offered to the provider back in the queue (the run stopped before
 * sending them): nothing was ever sent under their keys, so any worker may batch them afresh.
 */
export async function requeueUnsentBatches(db: Db, batchKeys: string[], now: Date): Promise<number> {
  if (batchKeys.length === 0) return 0;
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`update deliveries
        set status = 'queued', batch_key = null, lease_until = null, attempts = greatest(attempts - 1, 0),
            updated_at = ${iso(now)}::timestamptz
        where status = 'sending' and batch_key = any(${textArray(batchKeys)}::text[])
        returning id`,
  );
  return rows.length;
}

/** A subscriber's schedule after planning: the next due instant, and (when an edition was planned) its time. */
export interface ScheduleAdvance {
  id: string;
  /** null: the subscriber cannot be scheduled (stored preferences are broken) and stops being due. */
  nextSendAt: Date | null;
  /** null keeps the previous value (e.g. only missed editions). */
  lastEditionAt: Date | null;
}

export async function advanceSchedules(db: Db, rows: ScheduleAdvance[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(
    sql`update subscribers s
        set next_send_at = v.next::timestamptz, last_edition_at = coalesce(v.last::timestamptz, s.last_edition_at),
            updated_at = ${iso(now)}::timestamptz
        from unnest(${textArray(rows.map((r) => r.id))}::text[],
                    ${textArray(rows.map((r) => (r.nextSendAt ? iso(r.nextSendAt) : null)))}::text[],
                    ${textArray(rows.map((r) => (r.lastEditionAt ? iso(r.lastEditionAt) : null)))}::text[]) as v(id, next, last)
        where s.id = v.id::uuid`,
  );
}

// ---------------------------------------------------------------------------------------------- sending

/** A claimed delivery with what sending it needs to know about its subscriber. */
export interface ClaimedDelivery {
  id: string;
  subscriberId: string;
  edition: string;
  dueAt: Date;
  storyIds: number[];
  layout: DeliveryLayout;
  /** When it was planned (the selection's "now"). */
  plannedAt: Date;
  attempts: number;
  batchKey: string;
  email: string;
  subscriberStatus: SubscriberStatus;
  suppressed: boolean;
  tokenVersion: number;
  countries: string[];
  frequency: Frequency;
  weeklyDay: number | null;
  deliveryTime: string;
  timeZone: string;
}

export const claimedColumns = sql`d.id, d.subscriber_id, d.edition, d.due_at, d.story_ids, d.layout, d.created_at,
  d.attempts, d.batch_key,
  s.email, s.status as subscriber_status, s.token_version, s.countries, s.frequency, s.weekly_day,
  s.delivery_time, s.time_zone,
  exists (select 1 from suppressions x where x.email = s.email) as suppressed`;

export function toClaimed(r: Record<string, unknown>): ClaimedDelivery {
  return {
    id: String(r.id),
    subscriberId: String(r.subscriber_id),
    edition: String(r.edition),
    dueAt: toDate(r.due_at),
    storyIds: toIntArray(r.story_ids),
    layout: toLayout(r.layout),
    plannedAt: toDate(r.created_at),
    attempts: Number(r.attempts),
    batchKey: String(r.batch_key),
    email: String(r.email),
    subscriberStatus: r.subscriber_status as SubscriberStatus,
    suppressed: r.suppressed === true || r.suppressed === "t",
    tokenVersion: Number(r.token_version),
    countries: toTextArray(r.countries),
    frequency: r.frequency as Frequency,
    weeklyDay: r.weekly_day === null || r.weekly_day === undefined ? null : Number(r.weekly_day),
    deliveryTime: String(r.delivery_time),
    timeZone: String(r.time_zone),
  };
}

/** Same order as the batch key's hash: the batch always goes out in the same order. */
export const byId = (a: ClaimedDelivery, b: ClaimedDelivery) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Takes over one batch whose lease expired (its worker died or hung), whole: the same deliveries under the
 * same batch key, so the provider sees the identical request again and answers it from its idempotency
 * store instead of sending twice. Returns [] only when no expired batch is left for this caller: after a
 * crash, workers call it until then and take over every batch the dead one held, at full speed.
 *
 * Concurrent callers (the workers of a process, other processes) take different batches: each takes a
 * transaction-scoped advisory lock on the key it picks, skipping keys another caller holds (skip locked
 * cannot do this for a whole batch: two callers could each lock one row of the same batch first and
 * deadlock on the rest). A caller may still lose a batch taken over between its snapshot and its row locks
 * (the rows, re-checked after the winner's commit, no longer match): the statement then reports the key it
 * lost, and the caller looks again rather than concluding that nothing expired.
 */
export async function reclaimExpiredBatch(db: Db, now: Date, leaseUntil: Date): Promise<ClaimedDelivery[]> {
  // Each loss means another caller took a batch; the bound only guards against a row that keeps changing.
  for (let attempt = 0; attempt < 20; attempt++) {
    const rows = await rowsOf<Record<string, unknown>>(
      db,
      sql`with expired as (
            -- The lock is tried on the sorted keys one by one, oldest lease first, until one is free: the
            -- caller holds one lock, never all. "offset 0" keeps the condition out of the subquery (PostgreSQL
            -- would otherwise evaluate it as a HAVING on every expired key before sorting).
            select k.batch_key from (
              select batch_key from deliveries
              where status = 'sending' and lease_until < ${iso(now)}::timestamptz
              group by batch_key
              order by min(lease_until)
              offset 0
            ) k
            where pg_try_advisory_xact_lock(hashtextextended(k.batch_key, 0))
            limit 1
          ), picked as (
            select id from deliveries
            where status = 'sending' and lease_until < ${iso(now)}::timestamptz
              and batch_key = (select batch_key from expired)
            order by id
            for update
          ), taken as (
            update deliveries d
            set lease_until = ${iso(leaseUntil)}::timestamptz, attempts = d.attempts + 1, updated_at = ${iso(now)}::timestamptz
            from picked, subscribers s
            where d.id = picked.id and s.id = d.subscriber_id
            returning ${claimedColumns}
          )
          -- No row: nothing expired is free. One row without an id: the batch picked was lost to another caller.
          select taken.*, expired.batch_key as expired_key from expired left join taken on true`,
    );
    if (rows.length === 0) return [];
    const taken = rows.filter((r) => r.id !== null && r.id !== undefined);
    if (taken.length > 0) return taken.map(toClaimed).sort(byId);
  }
  return [];
}

/**
 * Claims up to `size` queued deliveries as one batch: status sending, a lease, and a batch key derived from
 * the sorted delivery ids (so the key names exactly this set, forever). SKIP LOCKED: concurrent workers
 * take disjoint batches.
 */
export async function claimQueuedBatch(db: Db, now: Date, leaseUntil: Date, size: number): Promise<ClaimedDelivery[]> {
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`with picked as (
          select id from deliveries
          where status = 'queued'
          limit ${size}
          for update skip locked
        ), batch as (
          select 'digest-' || md5(string_agg(id::text, ',' order by id)) as key from picked
        )
        update deliveries d
        set status = 'sending', lease_until = ${iso(leaseUntil)}::timestamptz, attempts = d.attempts + 1,
            batch_key = (select key from batch), updated_at = ${iso(now)}::timestamptz
        from picked, subscribers s
        where d.id = picked.id and s.id = d.subscriber_id
        returning ${claimedColumns}`,
  );
  return rows.map(toClaimed).sort(byId);
}

/** The final word on a claimed delivery. */
export interface DeliveryOutcome {
  id: string;
  status: Extract<DeliveryStatus, "sent" | "failed" | "skipped">;
  providerMessageId?: string | null;
  reason?: string | null;
  subject?: string | null;
}

/**
 * Records outcomes of one batch in one statement. Only rows still `sending` under this batch key move, so
 * a worker whose lease was taken over cannot overwrite the new owner's result. Returns rows updated.
 */
export async function recordOutcomes(db: Db, batchKey: string, outcomes: DeliveryOutcome[], now: Date): Promise<number> {
  if (outcomes.length === 0) return 0;
  const rows = await rowsOf<{ id: string }>(
    db,
    sql`update deliveries d
        set status = v.status, provider_message_id = v.pid, reason = v.reason,
            subject = coalesce(v.subject, d.subject), lease_until = null, updated_at = ${iso(now)}::timestamptz,
            sent_at = case when v.status = 'sent' then ${iso(now)}::timestamptz else d.sent_at end
        from unnest(${textArray(outcomes.map((o) => o.id))}::text[], ${textArray(outcomes.map((o) => o.status))}::text[],
                    ${textArray(outcomes.map((o) => o.providerMessageId ?? null))}::text[],
                    ${textArray(outcomes.map((o) => (o.reason ? o.reason.slice(0, 1000) : null)))}::text[],
                    ${textArray(outcomes.map((o) => o.subject ?? null))}::text[]) as v(id, status, pid, reason, subject)
        where d.id = v.id::uuid and d.batch_key = ${batchKey} and d.status = 'sending'
        returning d.id`,
  );
  return rows.length;
}

/**
 * Gives a batch back without an answer (e.g. the provider refused our credentials): the lease ends at
 * `until`, after which any worker re-claims it whole, with the same key.
 */
export async function releaseBatch(db: Db, batchKey: string, until: Date, now: Date): Promise<void> {
  await db
    .update(deliveries)
    .set({ leaseUntil: until, updatedAt: now })
    .where(and(eq(deliveries.batchKey, batchKey), eq(deliveries.status, "sending")));
}

/** How many deliveries wait to be sent (queued, or sending with any lease). */
export async function pendingDeliveryCount(db: Db): Promise<number> {
  const rows = await rowsOf<{ n: number | string }>(
    db,
    sql`select count(*)::int as n from deliveries where status in ('queued', 'sending')`,
  );
  return Number(rows[0]?.n ?? 0);
}

// ---------------------------------------------------------------------------------------------- reading

export type Delivery = typeof deliveries.$inferSelect;

export async function findDeliveryForEdition(db: Db, subscriberId: string, edition: string): Promise<Delivery | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(subscriberId)) return undefined;
  const rows = await db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.subscriberId, subscriberId), eq(deliveries.edition, edition)))
    .limit(1);
  return rows[0];
}

/** For /api/stats: how many deliveries of each status, per day they were due (UTC), newest first. */
export async function deliveriesByStatusPerDay(
  db: Db,
  since: Date,
): Promise<Array<{ day: string; status: DeliveryStatus; count: number }>> {
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`select to_char(due_at at time zone 'UTC', 'YYYY-MM-DD') as day, status, count(*)::int as n
        from deliveries
        where due_at >= ${iso(since)}::timestamptz
        group by 1, 2
        order by 1 desc, 2`,
  );
  return rows.map((r) => ({ day: String(r.day), status: r.status as DeliveryStatus, count: Number(r.n) }));
}
