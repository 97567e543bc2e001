// Fixed-window counters kept in the database, so a limit holds across processes and restarts.
import { lt, sql } from "drizzle-orm";
import type { Db } from "../client";
import { rateLimits } from "../schema";

/** Counts one hit for `key` in the window starting at `windowStart`; returns the count including it. */
export async function hitRateLimit(db: Db, key: string, windowStart: Date): Promise<number> {
  const rows = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { count: sql`${rateLimits.count} + 1` },
    })
    .returning({ count: rateLimits.count });
  return rows[0]?.count ?? 1;
}

export async function purgeRateLimits(db: Db, before: Date): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStart, before));
}
