// SEND_RATE_PER_SECOND held across every sender at once, not per process: each request first reserves
// its slot in the database (db/queries/send-pacing.ts), then waits for it. createRateLimiter
// (provider-calls.ts) spaces the batches of one run in memory; this one is for senders that run side by
// side — Workers queue consumers, up to max_concurrency of them — against one provider account, whose rate
// limit counts every request of the team (Resend: all API keys together). One statement per request.
import type { Db } from "../../db/client";
import { reserveSendSlot } from "../../db/queries/send-pacing";
import type { Pacer } from "./provider-calls";

export function createSharedRateLimiter(db: Db, provider: string, ratePerSecond: number, pacer: Pacer): { take(): Promise<void> } {
  const intervalMs = 1000 / ratePerSecond;
  return {
    async take() {
      const { waitMs } = await reserveSendSlot(db, provider, intervalMs);
      if (waitMs > 0) await pacer.sleep(waitMs);
    },
  };
}
