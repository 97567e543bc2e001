// Provider webhook events (idempotent on svix-id) and what they change: suppressions and the subscriber's
// status after a bounce or a complaint.
import { and, count, eq, ne, sql } from "drizzle-orm";
import type { Db } from "../client";
import { deliveries, subscribers, suppressions, webhookEvents } from "../schema";

export interface WebhookEventRow {
  id: string;
  type: string;
  email: string | null;
  providerMessageId: string | null;
  payload: unknown;
}

/** Stores the event; false when this svix-id was seen before (a redelivery: do nothing). */
export async function recordWebhookEvent(db: Db, event: WebhookEventRow, now: Date): Promise<boolean> {
  const rows = await db
    .insert(webhookEvents)
    .values({ ...event, receivedAt: now })
    .onConflictDoNothing({ target: webhookEvents.id })
    .returning({ id: webhookEvents.id });
  return rows.length > 0;
}

/** The address a provider message went to, through the delivery that recorded its id. */
export async function emailForProviderMessage(db: Db, providerMessageId: string): Promise<string | undefined> {
  const rows = await db
    .select({ email: subscribers.email })
    .from(deliveries)
    .innerJoin(subscribers, eq(subscribers.id, deliveries.subscriberId))
    .where(eq(deliveries.providerMessageId, providerMessageId))
    .limit(1);
  return rows[0]?.email;
}

/** No digest will go to this address again (kept even if the subscriber erases their data). */
export async function suppressAddress(db: Db, email: string, reason: string, now: Date): Promise<void> {
  await db.insert(suppressions).values({ email, reason, createdAt: now }).onConflictDoNothing({ target: suppressions.email });
}

/**
 * Marks the subscriber bounced or complained and stops their schedule. A complaint outranks a bounce
 * (a later bounce does not turn "complained" back into "bounced"). Returns whether a row changed.
 */
export async function markUndeliverable(db: Db, email: string, status: "bounced" | "complained", now: Date): Promise<boolean> {
  const rows = await db
    .update(subscribers)
    .set({ status, nextSendAt: null, updatedAt: now })
    .where(and(eq(subscribers.email, email), status === "bounced" ? ne(subscribers.status, "complained") : sql`true`))
    .returning({ id: subscribers.id });
  return rows.length > 0;
}

export async function suppressionCount(db: Db): Promise<number> {
  const rows = await db.select({ n: count() }).from(suppressions);
  return Number(rows[0]?.n ?? 0);
}
