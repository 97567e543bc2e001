// Provider pacing shared by every sender: on Workers many queue consumers send at once, and the provider's
// rate limit is per team (Resend: all API keys together), so the spacing between requests is kept where
// they all meet — the database — instead of in each sender's memory.
import { sql } from "drizzle-orm";
import type { Db } from "../client";

/**
 * Reserves the next request slot for `provider`, `intervalMs` after the previous one and never in the past,
 * in one statement (the row lock orders concurrent callers). Returns the slot and how many milliseconds to
 * wait for it (0: now). Both are the database's clock, so senders on machines whose clocks differ still
 * space their requests correctly.
 */
export async function reserveSendSlot(db: Db, provider: string, intervalMs: number): Promise<{ slotAt: Date; waitMs: number }> {
  const interval = `${Math.max(0, Math.round(intervalMs))} milliseconds`;
  const result = (await db.execute(
    sql`insert into send_pacing as p (provider, last_slot_at) values (${provider}, clock_timestamp())
        on conflict (provider) do update
          set last_slot_at = greatest(p.last_slot_at + ${interval}::interval, clock_timestamp())
        returning p.last_slot_at as slot_at,
                  greatest(0, ceil(extract(epoch from (p.last_slot_at - clock_timestamp())) * 1000))::int as wait_ms`,
  )) as unknown;
  const rows = (Array.isArray(result) ? result : ((result as { rows?: unknown[] }).rows ?? [])) as Array<{ slot_at: unknown; wait_ms: number | string }>;
  const row = rows[0];
  const slot = row?.slot_at;
  return { slotAt: slot instanceof Date ? slot : new Date(String(slot)), waitMs: Number(row?.wait_ms ?? 0) };
}
