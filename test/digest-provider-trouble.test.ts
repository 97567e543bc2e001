// Provider trouble: 429, 500, timeouts, a rejected address, a process dying around the provider call.
// Always the real resend SDK against the local fake; nothing lost, nothing duplicated.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MAX_CLAIMS, runTick } from "../src/digest/tick";
import type { Mailer } from "../src/mail/mailer";
import { addSubscriber, createDigestWorld, deliveriesOf, seedStory, type DigestWorld } from "./helpers/digest-world";
import { sentPerRecipient } from "./helpers/fake-resend";

const START = "2026-05-11T07:05:00Z";
const at = (iso: string) => new Date(iso);

let w: DigestWorld;
beforeAll(async () => {
  w = await createDigestWorld(START);
});
afterAll(() => w.close());
beforeEach(async () => {
  await w.reset(START);
  await seedStory(w.db, { title: "Tokyo rethinks its earthquake drills", articles: [{ country: "JP", publishedAt: at("2026-05-10T22:00:00Z") }] });
});

async function subscribers(n: number, prefix = "reader") {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push(await addSubscriber(w.db, { email: `${prefix}${i}@example.com`, countries: ["JP"], nextSendAt: at("2026-05-11T07:00:00Z") }));
  return ids;
}

/** Every recipient got exactly one email and no key carried two bodies. */
function expectExactlyOnce(recipients: number) {
  const per = sentPerRecipient(w.fake);
  expect(per.size).toBe(recipients);
  for (const [, emails] of per) expect(emails).toHaveLength(1);
  expect(w.fake.violations).toEqual([]);
}

describe("the idempotency key", () => {
  it("is derived from the sorted delivery ids of the batch, and repeated on every attempt", async () => {
    await subscribers(3);
    w.fake.failNext({ kind: "500" });
    await runTick(w.deps, { batchSize: 3 });
    const rows = (await Promise.all((await w.db.query.subscribers.findMany()).map((s) => deliveriesOf(w.db, s.id)))).flat();
    const expected = `digest-${createHash("md5").update(rows.map((r) => r.id).sort().join(",")).digest("hex")}`;
    expect(w.fake.requests.map((r) => r.idempotencyKey)).toEqual([expected, expected]);
    expect(w.fake.requests[0]!.bodyHash).toBe(w.fake.requests[1]!.bodyHash);
    expectExactlyOnce(3);
  });
});

describe("provider trouble", () => {
  it("429 → waits what retry-after says, then sends once", async () => {
    await subscribers(2);
    w.fake.failNext({ kind: "429", retryAfter: "7" });
    const result = await runTick(w.deps);
    expect(result).toMatchObject({ sent: 2, failed: 0 });
    expect(w.pacer.sleeps).toContain(7000);
    expect(w.fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expectExactlyOnce(2);
  });

  it("500s → exponential backoff with jitter, then sends once", async () => {
    await subscribers(2);
    w.fake.failNext({ kind: "500" }, { kind: "500" }, { kind: "500" });
    const result = await runTick(w.deps);
    expect(result).toMatchObject({ sent: 2, failed: 0 });
    // random() = 0.5: half the exponential delay plus a quarter → 750, 1500, 3000 ms.
    expect(w.pacer.sleeps.filter((s) => s >= 700)).toEqual([750, 1500, 3000]);
    expectExactlyOnce(2);
  });

  it("a timeout whose request the provider never saw → retried, sent once", async () => {
    await subscribers(2);
    w.fake.failNext({ kind: "hang" });
    const result = await runTick(w.withTimeout(1000));
    expect(result).toMatchObject({ sent: 2, failed: 0 });
    expect(w.fake.requests.length).toBeGreaterThanOrEqual(2);
    expectExactlyOnce(2);
  });

  it("a timeout after the provider sent (the answer was lost) → the retry is answered from the idempotency store, nothing sent twice", async () => {
    const ids = await subscribers(2);
    w.fake.failNext({ kind: "hang", processed: true });
    const result = await runTick(w.withTimeout(1000));
    expect(result).toMatchObject({ sent: 2, failed: 0 });
    expect(w.fake.requests.length).toBeGreaterThanOrEqual(2);
    expectExactlyOnce(2);
    const rows = (await Promise.all(ids.map((id) => deliveriesOf(w.db, id)))).flat();
    expect(rows.map((r) => r.providerMessageId).sort()).toEqual(w.fake.sent.map((e) => e.id).sort());
  });

  it("a provider that keeps failing → bounded attempts, the batch failed with its error kept, the rest left queued for the next tick", async () => {
    const ids = await subscribers(2);
    w.fake.failNext(...Array.from({ length: 5 }, () => ({ kind: "500" as const })));
    const result = await runTick(w.deps, { batchSize: 1, concurrency: 1 });
    expect(result).toMatchObject({ planned: 2, sent: 0, failed: 1 });
    expect(result.stopped).toMatch(/provider unavailable/);
    expect(w.fake.requests).toHaveLength(5);
    const rows = (await Promise.all(ids.map((id) => deliveriesOf(w.db, id)))).flat();
    const failed = rows.find((r) => r.status === "failed")!;
    expect(failed.reason).toBe("internal_server_error: Something went wrong (after 5 attempts)");
    expect(rows.filter((r) => r.status === "queued")).toHaveLength(1);

    w.clock.advance(60_000);
    expect(await runTick(w.deps, { batchSize: 1 })).toMatchObject({ sent: 1, failed: 0 });
    expect(sentPerRecipient(w.fake).size).toBe(1);
    expect(w.fake.violations).toEqual([]);
  });

  it("a rejected address fails that delivery only, with the provider's message", async () => {
    const ids = await subscribers(3);
    w.fake.rejectAddress("reader1@example.com", "Invalid `to` field. The email address is not valid.");
    const result = await runTick(w.deps);
    expect(result).toMatchObject({ sent: 2, failed: 1 });
    const rows = (await Promise.all(ids.map((id) => deliveriesOf(w.db, id)))).flat();
    expect(rows.map((r) => r.status)).toEqual(["sent", "failed", "sent"]);
    expect(rows[1]!.reason).toBe("rejected by the provider: Invalid `to` field. The email address is not valid.");
    expect(w.fake.requests).toHaveLength(1);
    expect([...sentPerRecipient(w.fake).keys()].sort()).toEqual(["reader0@example.com", "reader2@example.com"]);
  });

  it("requests are paced at SEND_RATE_PER_SECOND", async () => {
    await subscribers(6);
    await runTick(w.deps, { batchSize: 2, concurrency: 1 });
    expect(w.fake.requests).toHaveLength(3);
    // 2 requests a second: the second and third wait 500 ms each.
    expect(w.pacer.sleeps).toEqual([500, 500]);
    expectExactlyOnce(6);
  });
});

describe("a sender dying around the provider call", () => {
  /** Passes the batch to the real mailer, then dies before anything is recorded. */
  const dyingAfter = (real: Mailer): Mailer => ({
    async sendBatch(emails, options) {
      await real.sendBatch(emails, options);
      throw new Error("process killed");
    },
  });
  const dyingBefore: Mailer = {
    async sendBatch() {
      throw new Error("process killed");
    },
  };

  it("after the provider sent: once the lease expires the same batch goes again under the same key, and is not sent twice", async () => {
    const ids = await subscribers(3);
    await expect(runTick(w.withMailer(dyingAfter(w.deps.mailer)))).rejects.toThrow("process killed");
    expect((await deliveriesOf(w.db, ids[0]!))[0]!.status).toBe("sending");
    // Within the lease nobody takes it over.
    w.clock.advance(60_000);
    expect(await runTick(w.deps)).toMatchObject({ sent: 0 });
    expect(w.fake.requests).toHaveLength(1);
    // After it, the batch is re-claimed whole and re-sent identically.
    w.clock.advance(5 * 60_000);
    expect(await runTick(w.deps)).toMatchObject({ sent: 3, failed: 0 });
    expect(w.fake.requests).toHaveLength(2);
    expect(w.fake.requests[1]!.idempotencyKey).toBe(w.fake.requests[0]!.idempotencyKey);
    expect(w.fake.requests[1]!.bodyHash).toBe(w.fake.requests[0]!.bodyHash);
    expectExactlyOnce(3);
    const rows = (await Promise.all(ids.map((id) => deliveriesOf(w.db, id)))).flat();
    expect(rows.every((r) => r.status === "sent" && r.attempts === 2)).toBe(true);
  });

  it("before the provider saw it: re-claimed after the lease and sent once", async () => {
    await subscribers(2);
    await expect(runTick(w.withMailer(dyingBefore))).rejects.toThrow("process killed");
    w.clock.advance(6 * 60_000);
    expect(await runTick(w.deps)).toMatchObject({ sent: 2 });
    expectExactlyOnce(2);
  });

  it("a batch that kills its sender every time is failed after a bounded number of claims", async () => {
    const ids = await subscribers(1);
    for (let i = 0; i < MAX_CLAIMS; i++) {
      await expect(runTick(w.withMailer(dyingBefore))).rejects.toThrow("process killed");
      w.clock.advance(6 * 60_000);
    }
    expect(await runTick(w.deps)).toMatchObject({ sent: 0, failed: 1 });
    const [row] = await deliveriesOf(w.db, ids[0]!);
    expect(row).toMatchObject({ status: "failed", reason: `gave up: claimed ${MAX_CLAIMS} times without an answer recorded` });
  });
});
