// Subscribers: every SQL statement about a subscriber's row lives here.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, subscribers, suppressions, type SubscriberStatus } from "../schema";

export type Subscriber = typeof subscribers.$inferSelect;
export type NewSubscriber = typeof subscribers.$inferInsert;
type Patch = Partial<Omit<NewSubscriber, "id" | "email" | "createdAt">>;

export async function findSubscriberByEmail(db: Db, email: string): Promise<Subscriber | undefined> {
  const rows = await db.select().from(subscribers).where(eq(subscribers.email, email)).limit(1);
  return rows[0];
}

// Every signed link resolves its subscriber by id: the query is built once per database handle (drizzle
// spends longer building a query than PostgreSQL does answering this one).
const byIdQueries = new WeakMap<Db, ReturnType<typeof byIdQuery>>();
const byIdQuery = (db: Db) => db.select().from(subscribers).where(eq(subscribers.id, sql.placeholder("id"))).limit(1).prepare("find_subscriber_by_id");

export async function findSubscriberById(db: Db, id: string): Promise<Subscriber | undefined> {
  // A strict UUID: anything else (e.g. 36 dashes) would make PostgreSQL raise instead of finding nothing.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  let query = byIdQueries.get(db);
  if (!query) byIdQueries.set(db, (query = byIdQuery(db)));
  const rows = await query.execute({ id });
  return rows[0];
}

/** Inserts a subscriber unless the address exists; returns the new row, or undefined when it existed. */
export async function insertSubscriber(db: Db, row: NewSubscriber): Promise<Subscriber | undefined> {
  const rows = await db.insert(subscribers).values(row).onConflictDoNothing({ target: subscribers.email }).returning();
  return rows[0];
}

export async function updateSubscriber(db: Db, id: string, patch: Patch, now: Date): Promise<Subscriber | undefined> {
  const rows = await db
    .update(subscribers)
    .set({ ...patch, updatedAt: now })
    .where(eq(subscribers.id, id))
    .returning();
  return rows[0];
}

/**
 * Moves a subscriber only if it is still in `from` (so two racing requests cannot both win). With
 * `endLinks`, the token version is bumped in the same statement: every link issued before stops working.
 */
export async function transitionSubscriber(
  db: Db,
  id: string,
  from: SubscriberStatus[],
  patch: Patch,
  now: Date,
  options: { endLinks?: boolean } = {},
): Promise<Subscriber | undefined> {
  const rows = await db
    .update(subscribers)
    .set({ ...patch, updatedAt: now, ...(options.endLinks ? { tokenVersion: sql`${subscribers.tokenVersion} + 1` } : {}) })
    .where(and(eq(subscribers.id, id), sql`${subscribers.status} in ${from}`))
    .returning();
  return rows[0];
}

/**
 * Takes a confirmation request for an existing address, atomically: an unsubscribed address, or a
 * pending one whose last confirmation went out at or before `resendAfter`, becomes pending with these
 * preferences and a new token version (ending the links sent before, the older confirmation included).
 * Undefined when the address is in another state or was mailed too recently — then nothing changes, so
 * a second request cannot alter what the first one's email asks to confirm.
 */
export async function claimConfirmationRequest(db: Db, id: string, preferences: Patch, now: Date, resendAfter: Date): Promise<Subscriber | undefined> {
  const rows = await db
    .update(subscribers)
    .set({ ...preferences, status: "pending", nextSendAt: null, confirmationSentAt: now, updatedAt: now, tokenVersion: sql`${subscribers.tokenVersion} + 1` })
    .where(
      and(
        eq(subscribers.id, id),
        sql`(${subscribers.status} = 'unsubscribed' or (${subscribers.status} = 'pending' and (${subscribers.confirmationSentAt} is null or ${subscribers.confirmationSentAt} <= ${resendAfter.toISOString()}::timestamptz)))`,
      ),
    )
    .returning();
  return rows[0];
}

/** Confirms the request a link was sent for: only while pending and still at that token version. */
export async function confirmRequest(db: Db, id: string, tokenVersion: number, patch: Patch, now: Date): Promise<Subscriber | undefined> {
  const rows = await db
    .update(subscribers)
    .set({ ...patch, status: "active", updatedAt: now })
    .where(and(eq(subscribers.id, id), eq(subscribers.tokenVersion, tokenVersion), eq(subscribers.status, "pending")))
    .returning();
  return rows[0];
}

/**
 * Requests whose confirmation link expired before `sentBefore`: an address that never confirmed is
 * erased; one that had confirmed before (and left, then someone asked again) goes back to unsubscribed.
 */
export async function purgeExpiredRequests(db: Db, sentBefore: Date, now: Date): Promise<{ erased: number; reverted: number }> {
  const expired = sql`${subscribers.status} = 'pending' and (${subscribers.confirmationSentAt} < ${sentBefore.toISOString()}::timestamptz or (${subscribers.confirmationSentAt} is null and ${subscribers.createdAt} < ${sentBefore.toISOString()}::timestamptz))`;
  const erased = await db
    .delete(subscribers)
    .where(and(expired, sql`${subscribers.confirmedAt} is null`))
    .returning({ id: subscribers.id });
  const reverted = await db
    .update(subscribers)
    .set({ status: "unsubscribed", unsubscribedAt: sql`coalesce(${subscribers.unsubscribedAt}, ${now.toISOString()}::timestamptz)`, updatedAt: now, tokenVersion: sql`${subscribers.tokenVersion} + 1` })
    .where(and(expired, sql`${subscribers.confirmedAt} is not null`))
    .returning({ id: subscribers.id });
  return { erased: erased.length, reverted: reverted.length };
}

/** Erases the subscriber; deliveries go with it (on delete cascade). */
export async function deleteSubscriber(db: Db, id: string): Promise<boolean> {
  const rows = await db.delete(subscribers).where(eq(subscribers.id, id)).returning({ id: subscribers.id });
  return rows.length > 0;
}

export async function deliveryHistory(db: Db, subscriberId: string) {
  return db
    .select({
      edition: deliveries.edition,
      status: deliveries.status,
      subject: deliveries.subject,
      storyIds: deliveries.storyIds,
      reason: deliveries.reason,
      sentAt: deliveries.sentAt,
      createdAt: deliveries.createdAt,
    })
    .from(deliveries)
    .where(eq(deliveries.subscriberId, subscriberId))
    .orderBy(deliveries.edition);
}

export async function isSuppressed(db: Db, email: string): Promise<boolean> {
  const rows = await db.select({ email: suppressions.email }).from(suppressions).where(eq(suppressions.email, email)).limit(1);
  return rows.length > 0;
}
