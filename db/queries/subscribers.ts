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

/** Moves a subscriber only if it is still in `from` (so two racing requests cannot both win). */
export async function transitionSubscriber(
  db: Db,
  id: string,
  from: SubscriberStatus[],
  patch: Patch,
  now: Date,
): Promise<Subscriber | undefined> {
  const rows = await db
    .update(subscribers)
    .set({ ...patch, updatedAt: now })
    .where(and(eq(subscribers.id, id), sql`${subscribers.status} in ${from}`))
    .returning();
  return rows[0];
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
