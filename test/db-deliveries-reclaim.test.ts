// reclaimExpiredBatch: callers racing for expired batches (the workers of a process, other processes)
// each take a different batch, whole, and the answer is empty only once no expired batch is left — a
// caller that loses a batch to another looks again instead of reporting "nothing expired" (issue 14).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { reclaimExpiredBatch } from "../db/queries/deliveries";
import { deliveries, subscribers } from "../db/schema";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

const NOW = new Date("2026-05-11T07:05:00Z");
const EXPIRED = new Date(NOW.getTime() - 60_000);
const LATER = new Date(NOW.getTime() + 300_000);
const BATCHES = 8;
const PER_BATCH = 5;

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  const subs = await database.db
    .insert(subscribers)
    .values(Array.from({ length: (BATCHES + 1) * PER_BATCH }, (_, i) => ({ email: `r${i}@example.com`, status: "active" as const, countries: ["JP"], timeZone: "UTC" })))
    .returning({ id: subscribers.id });
  // BATCHES expired batches, each leased at a different time, and one whose lease still runs.
  await database.db.insert(deliveries).values(
    subs.map((s, i) => {
      const batch = Math.floor(i / PER_BATCH);
      return {
        subscriberId: s.id,
        edition: "2026-05-11",
        dueAt: NOW,
        status: "sending" as const,
        batchKey: `digest-batch-${batch}`,
        leaseUntil: batch === BATCHES ? LATER : new Date(EXPIRED.getTime() - batch * 1_000),
        attempts: 1,
      };
    }),
  );
});
afterAll(() => database.drop());

describe("re-claiming expired batches", () => {
  it("racing callers each take a different expired batch, whole; then nothing is left but the live lease", async () => {
    const leaseUntil = new Date(NOW.getTime() + 300_000);
    // As many callers at once as there are expired batches (on PostgreSQL: separate pooled connections).
    const taken = await Promise.all(Array.from({ length: BATCHES }, () => reclaimExpiredBatch(database.db, NOW, leaseUntil)));
    const keys = taken.map((batch) => batch[0]?.batchKey);
    expect(new Set(keys).size).toBe(BATCHES);
    expect(keys.sort()).toEqual(Array.from({ length: BATCHES }, (_, b) => `digest-batch-${b}`).sort());
    for (const batch of taken) {
      expect(batch).toHaveLength(PER_BATCH);
      expect(new Set(batch.map((d) => d.batchKey)).size).toBe(1);
      expect(batch.map((d) => d.id)).toEqual([...batch.map((d) => d.id)].sort());
      expect(batch.every((d) => d.attempts === 2)).toBe(true);
    }
    expect(await reclaimExpiredBatch(database.db, NOW, leaseUntil)).toEqual([]);
    const live = await database.db.select({ lease: deliveries.leaseUntil }).from(deliveries).where(eq(deliveries.batchKey, `digest-batch-${BATCHES}`));
    expect(live.map((r) => r.lease?.getTime())).toEqual(Array(PER_BATCH).fill(LATER.getTime()));
  });

  it("the oldest expired lease is taken first", async () => {
    await database.db.update(deliveries).set({ leaseUntil: EXPIRED });
    await database.db.update(deliveries).set({ leaseUntil: new Date(EXPIRED.getTime() - 3_600_000) }).where(eq(deliveries.batchKey, "digest-batch-5"));
    const first = await reclaimExpiredBatch(database.db, NOW, LATER);
    expect(first[0]?.batchKey).toBe("digest-batch-5");
  });
});
