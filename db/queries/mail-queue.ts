// The mail queue: service emails and the subscribe requests they come from (see mail_queue in
// db/schema.ts). Every statement about a queued row lives here.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../client";
import { mailQueue, type QueuedPreferences } from "../schema";

export type QueuedMail = typeof mailQueue.$inferSelect;

/** A subscribe form's request, to be decided after the answer. One insert, the same for every address. */
export async function queueSubscribeRequest(db: Db, email: string, preferences: QueuedPreferences, now: Date): Promise<void> {
  await db.insert(mailQueue).values({ kind: "subscribe", email, preferences, createdAt: now });
}

/** An email owed to a subscriber, its link carrying `tokenVersion`. */
export async function queueSubscriberMail(db: Db, kind: "confirm" | "manage-link" | "fresh-link", subscriberId: string, tokenVersion: number, now: Date): Promise<void> {
  await db.insert(mailQueue).values({ kind, subscriberId, tokenVersion, createdAt: now });
}

/**
 * Takes up to `limit` rows no one holds (or whose holder's lease ran out), oldest first, and holds them
 * until `leaseUntil`. SKIP LOCKED: drainers in several processes take disjoint rows.
 */
export async function claimQueuedMail(db: Db, now: Date, leaseUntil: Date, limit: number): Promise<QueuedMail[]> {
  const rows = await db
    .update(mailQueue)
    .set({ leaseUntil, attempts: sql`${mailQueue.attempts} + 1` })
    .where(
      sql`${mailQueue.id} in (
        select id from mail_queue
        where lease_until is null or lease_until <= ${now.toISOString()}::timestamptz
        order by id limit ${limit}
        for update skip locked)`,
    )
    .returning();
  return rows.sort((a, b) => a.id - b.id);
}

/** A decided subscribe request becomes the email it calls for (same row, same creation time). */
export async function turnIntoSubscriberMail(db: Db, id: number, kind: "confirm" | "manage-link", subscriberId: string, tokenVersion: number): Promise<void> {
  await db.update(mailQueue).set({ kind, subscriberId, tokenVersion, email: null, preferences: null }).where(eq(mailQueue.id, id));
}

/** Done (sent, or nothing to send). */
export async function deleteQueuedMail(db: Db, id: number): Promise<void> {
  await db.delete(mailQueue).where(eq(mailQueue.id, id));
}

/** Try again after `at` (the provider asked to wait, or failed). */
export async function retryQueuedMailAt(db: Db, id: number, at: Date): Promise<void> {
  await db.update(mailQueue).set({ leaseUntil: at }).where(eq(mailQueue.id, id));
}

export async function queuedMailCount(db: Db): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)` }).from(mailQueue);
  return Number(rows[0]?.n ?? 0);
}
