// Counts for GET /api/stats (deliveries per day live in deliveries.ts, suppressions in webhook-events.ts).
import { count } from "drizzle-orm";
import type { Db } from "../client";
import { subscribers, type SubscriberStatus } from "../schema";

export async function subscribersByStatus(db: Db): Promise<Partial<Record<SubscriberStatus, number>>> {
  const rows = await db.select({ status: subscribers.status, n: count() }).from(subscribers).groupBy(subscribers.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
