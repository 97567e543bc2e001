// The Workers fan-out through Cloudflare Queues, run on Node against the test database (PGlite or
// PostgreSQL) with the real Resend SDK and the local fake Resend, and an in-memory queue that keeps the
// Queues contract (test/helpers/fake-queue.ts). The same code runs in workerd with Miniflare's real queues
// in test/worker-queues.test.ts (PostgreSQL only). Checked here: what the trigger enqueues, exactly-once
// sending through the consumer (repeated and concurrent deliveries, errors after the provider accepted,
// provider trouble), the dead-letter queue, bad input, lost messages, and the pacing shared by consumers.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliveries, subscribers } from "../db/schema";
import { reserveSendSlot } from "../db/queries/send-pacing";
import { createLogger } from "../src/log";
import type { Mailer } from "../src/mail/mailer";
import { fanOutDigests, QUEUE_LEASE_MS } from "../src/worker/fan-out";
import { consumeDigestQueue, type QueueConsumerDeps, type QueueConsumerSettings } from "../src/worker/queue-consumer";
import { readMessage, type QueueMessageBatch } from "../src/worker/queue-messages";
import { createDigestWorld, seedStory, type DigestWorld } from "./helpers/digest-world";
import { sentPerRecipient } from "./helpers/fake-resend";
import { FakeQueue } from "./helpers/fake-queue";

const START = "2026-05-11T07:05:00Z";
const DUE = new Date("2026-05-11T07:00:00Z");
const DLQ = "world-digest-dlq";

let w: DigestWorld;
let logs: Array<Record<string, unknown>>;
let main: FakeQueue;
let dead: FakeQueue;

beforeAll(async () => {
  w = await createDigestWorld(START);
});
afterAll(() => w.close());
beforeEach(async () => {
  await w.reset(START);
  logs = [];
  dead = new FakeQueue(DLQ, w.clock, { maxRetries: 3 });
  main = new FakeQueue("world-digest-batches", w.clock, { maxRetries: 3, deadLetter: dead });
  await seedStory(w.db, { title: "Tokyo rethinks its earthquake drills", articles: [{ country: "JP", publishedAt: new Date("2026-05-10T22:00:00Z") }] });
});

function deps(mailer?: Mailer): QueueConsumerDeps {
  return { ...(mailer ? w.withMailer(mailer) : w.deps), log: createLogger("debug", (line) => logs.push(JSON.parse(line) as Record<string, unknown>)) };
}
function settings(overrides: Partial<QueueConsumerSettings> = {}): QueueConsumerSettings {
  return { planSubscribers: 10_000, deadLetterQueue: DLQ, queue: main, retrySeconds: 30, ...overrides };
}
const consumer = (d: QueueConsumerDeps, s: QueueConsumerSettings) => (batch: QueueMessageBatch) => consumeDigestQueue(d, batch, s);

/** `n` readers of JP due at 07:00, inserted in bulk. */
async function readers(n: number): Promise<string[]> {
  const emails = Array.from({ length: n }, (_, i) => `reader${String(i).padStart(4, "0")}@example.com`);
  for (let i = 0; i < n; i += 500) {
    await w.db.insert(subscribers).values(emails.slice(i, i + 500).map((email) => ({ email, status: "active" as const, countries: ["JP"], timeZone: "UTC", nextSendAt: DUE })));
  }
  return emails;
}

/** Every reader got exactly one email, no key carried two bodies, every delivery is recorded sent. */
async function expectEachSentOnce(emails: string[]) {
  const per = sentPerRecipient(w.fake);
  expect([...per.keys()].sort()).toEqual(emails);
  expect([...per.values()].filter((list) => list.length !== 1)).toEqual([]);
  expect(w.fake.violations).toEqual([]);
  const rows = await w.db.select({ status: deliveries.status }).from(deliveries);
  expect(rows.filter((r) => r.status !== "sent")).toEqual([]);
  expect(rows).toHaveLength(emails.length);
}

const sendBodies = (q: FakeQueue) => q.sent.map((m) => m.body).filter((b): b is { kind: "send"; batchKey: string; deliveries: string[] } => (b as { kind?: string }).kind === "send");
const logged = (msg: RegExp) => logs.filter((l) => msg.test(String(l.msg)));

describe("the Cron Trigger with the queue binding", () => {
  it("plans at most WORKER_PLAN_LIMIT, enqueues one small message per batch (key and ids, no content) and a plan-more message", async () => {
    await readers(250);
    const result = await fanOutDigests(deps(), main, { planSubscribers: 200 }, { sweep: true });
    expect(result).toMatchObject({ planned: 200, batches: 2, more: true, resent: 0, rebatched: 0, unsent: 0 });
    expect(w.fake.requests).toHaveLength(0); // the trigger sends nothing itself

    const bodies = main.sent.map((m) => m.body as Record<string, unknown>);
    expect(bodies.map((b) => b.kind)).toEqual(["send", "send", "plan"]);
    for (const body of sendBodies(main)) {
      expect(Object.keys(body).sort()).toEqual(["batchKey", "deliveries", "kind"]);
      expect(body.deliveries).toHaveLength(100);
      expect(JSON.stringify(body).length).toBeLessThan(4_000);
      // The ids are the batch's deliveries, waiting under its key.
      const rows = await w.db.select().from(deliveries).where(eq(deliveries.batchKey, body.batchKey));
      expect(rows.map((r) => r.id).sort()).toEqual([...body.deliveries].sort());
      expect(rows.every((r) => r.status === "sending" && r.leaseUntil!.getTime() === w.clock.now.getTime() + QUEUE_LEASE_MS)).toBe(true);
    }
    // 50 readers are still due: the plan-more message plans them.
    const [due] = await w.db.select({ n: sql<number>`count(*)::int` }).from(subscribers).where(sql`next_send_at <= ${w.clock.now.toISOString()}::timestamptz`);
    expect(Number(due!.n)).toBe(50);
  });

  it("the consumers send every due reader exactly once, the plan-more chain planning the rest", async () => {
    const emails = await readers(450);
    const d = deps();
    await fanOutDigests(d, main, { planSubscribers: 200 }, { sweep: true });
    const invocations = await main.drain(consumer(d, settings({ planSubscribers: 200 })), { batchSize: 4, parallel: 3 });
    await expectEachSentOnce(emails);
    expect(sendBodies(main)).toHaveLength(5); // 450 readers: 100 × 4 + 50
    expect(main.sent.filter((m) => (m.body as { kind: string }).kind === "plan")).toHaveLength(2); // after 200, after 400
    expect(main.retries).toEqual([]);
    expect(invocations).toBeGreaterThanOrEqual(2);
    // One provider request per batch, each under its own key.
    expect(new Set(w.fake.requests.map((r) => r.idempotencyKey)).size).toBe(5);
    expect(w.fake.requests).toHaveLength(5);
  });

  it("a batch whose message never came is enqueued again by the first trigger after its lease, then sent once", async () => {
    const emails = await readers(150);
    const d = deps();
    await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true });
    expect(main.lose()).toBe(2);

    w.clock.advance(5 * 60_000);
    expect((await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true })).resent).toBe(0); // still trusted
    w.clock.advance(QUEUE_LEASE_MS);
    const again = await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true });
    expect(again).toMatchObject({ resent: 2, planned: 0 });
    await main.drain(consumer(d, settings()), { batchSize: 10 });
    await expectEachSentOnce(emails);
  });

  it("deliveries left queued (e.g. by a cron-only deployment) are batched and enqueued", async () => {
    const emails = await readers(120);
    await fanOutDigests(deps(), main, { planSubscribers: 10_000 }, { sweep: true });
    // As requeueUnsentBatches leaves them: queued, no key.
    main.lose();
    await w.db.update(deliveries).set({ status: "queued", batchKey: null, leaseUntil: null });
    const result = await fanOutDigests(deps(), main, { planSubscribers: 10_000 }, { sweep: true });
    expect(result).toMatchObject({ rebatched: 2, resent: 0 });
    await main.drain(consumer(deps(), settings()), { batchSize: 10 });
    await expectEachSentOnce(emails);
  });

  it("pauses planning while the queue holds more than it can send soon; a plan-more message looks again a minute later", async () => {
    await readers(150);
    await fanOutDigests(deps(), main, { planSubscribers: 100 }, { sweep: true }); // 100 waiting to be sent
    const fromTrigger = await fanOutDigests(deps(), main, { planSubscribers: 100, maxBacklog: 50 }, { sweep: true });
    expect(fromTrigger).toMatchObject({ paused: true, planned: 0, more: false });
    const fromMessage = await fanOutDigests(deps(), main, { planSubscribers: 100, maxBacklog: 50 }, { sweep: false });
    expect(fromMessage).toMatchObject({ paused: true, planned: 0, more: true });
    expect(main.sent.at(-1)).toEqual({ body: { kind: "plan" }, delaySeconds: 60 });
  });
});

describe("the queue consumer", () => {
  it("a message delivered twice: the second delivery finds its batch recorded and is acknowledged, nothing sent twice", async () => {
    const emails = await readers(100);
    const d = deps();
    await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true });
    const [body] = sendBodies(main);
    main.put(body); // the queue delivers it again later
    await main.drain(consumer(d, settings()), { batchSize: 1 });
    await expectEachSentOnce(emails);
    expect(w.fake.requests).toHaveLength(1);
    expect(logged(/already recorded; acknowledged/)).toHaveLength(1);
    expect(main.retries).toEqual([]);
  });

  it("a message delivered twice at once: both send the identical request under one key, the provider sends once", async () => {
    const emails = await readers(100);
    const d = deps();
    await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true });
    main.put(sendBodies(main)[0]);
    w.fake.setLatency(50);
    await main.drain(consumer(d, settings()), { batchSize: 1, parallel: 2 });
    w.fake.setLatency(0);
    await expectEachSentOnce(emails);
    // Both deliveries reached the provider (two requests), with the same bytes under the same key.
    expect(w.fake.requests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(w.fake.requests.map((r) => r.bodyHash)).size).toBe(1);
    expect(new Set(w.fake.requests.map((r) => r.idempotencyKey)).size).toBe(1);
  });

  it("an error after the provider accepted (before the outcome was recorded): the message is delivered again and the batch recorded sent, once", async () => {
    const emails = await readers(200);
    let calls = 0;
    const crashing: Mailer = {
      async sendBatch(emails_, options) {
        const result = await w.deps.mailer.sendBatch(emails_, options);
        if (++calls === 1) throw new Error("connection reset after the provider answered");
        return result;
      },
    };
    const d = deps(crashing);
    await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true });
    await main.drain(consumer(d, settings()), { batchSize: 2 });
    await expectEachSentOnce(emails);
    expect(main.retries).toEqual([{ id: expect.any(String), delaySeconds: 30 }]);
    // The repeat went out under the same key with the same bytes and was answered from the provider's store.
    const keys = w.fake.requests.map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(2);
    expect(logged(/failed; the queue delivers it again/)).toHaveLength(1);
  });

  it("429 with a long Retry-After: the batch goes back to the queue for that long, so does the rest of the delivery; then each sent once", async () => {
    const emails = await readers(500);
    const d = deps();
    await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true });
    w.fake.failNext({ kind: "429", retryAfter: "45" });
    const started = w.clock.now.getTime();
    await main.drain(consumer(d, settings()), { batchSize: 5 });
    await expectEachSentOnce(emails);
    // The refused batch went back for 45 s, and so did the batches of that delivery not started yet (the
    // one sending beside it, in the other lane, finished).
    expect(main.retries.length).toBeGreaterThanOrEqual(2);
    expect(main.retries.every((r) => r.delaySeconds === 45)).toBe(true);
    expect(w.clock.now.getTime() - started).toBe(45_000);
    expect(w.fake.requests.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it("a short Retry-After is waited for within the delivery (no re-rendering)", async () => {
    const emails = await readers(100);
    const d = deps();
    await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true });
    w.fake.failNext({ kind: "429", retryAfter: "2" });
    await main.drain(consumer(d, settings()), { batchSize: 1 });
    await expectEachSentOnce(emails);
    expect(main.retries).toEqual([]);
    expect(w.pacer.sleeps).toContain(2000);
  });

  it("a batch that keeps failing: retried with backoff, then dead-lettered, its deliveries recorded failed with the reason", async () => {
    const emails = await readers(100);
    const d = deps();
    await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true });
    w.fake.failNext(...Array.from({ length: 12 }, () => ({ kind: "500" as const })));
    await main.drain(consumer(d, settings()), { batchSize: 1 });
    // 4 deliveries (max_retries 3) of 3 quick tries each, backoff 30, 60, 120 s between them; the fourth
    // failure sends the message to the dead-letter queue instead of a fifth delivery.
    expect(w.fake.requests).toHaveLength(12);
    expect(main.retries.map((r) => r.delaySeconds)).toEqual([30, 60, 120, 240]);
    expect(dead.size).toBe(1);

    await dead.drain(consumer(d, settings()), { batchSize: 10 });
    const rows = await w.db.select().from(deliveries);
    expect(rows).toHaveLength(emails.length);
    for (const row of rows) {
      expect(row.status).toBe("failed");
      expect(row.reason).toMatch(/^dead-lettered: the digest queue gave up on this batch.*; last: provider unavailable: internal_server_error/);
    }
    expect(w.fake.sent).toHaveLength(0);
    expect(dead.retries).toEqual([]);
  });

  it("bad input is logged and acknowledged, never retried: a malformed body, an unknown kind, a key naming no batch", async () => {
    const bad = [
      "not json at all",
      { kind: "send", batchKey: "digest-xyz", deliveries: [] },
      { kind: "explode" },
      { kind: "send", batchKey: `digest-${"0".repeat(32)}`, deliveries: ["00000000-0000-4000-8000-000000000000"] },
      null,
    ];
    for (const body of bad) main.put(body);
    const invocations = await main.drain(consumer(deps(), settings()), { batchSize: 10 });
    expect(invocations).toBe(1);
    expect(main.retries).toEqual([]);
    expect([...main.deliveries.values()]).toEqual([1, 1, 1, 1, 1]);
    expect(logged(/malformed; acknowledged/).map((l) => l.error)).toEqual([
      'expects a JSON object: { kind: "send", batchKey, deliveries } or { kind: "plan" }',
      "batchKey: expects digest- and 32 hex digits; deliveries: expects 1 to 100 delivery ids (UUIDs)",
      'kind: expects "send" or "plan"',
      'expects a JSON object: { kind: "send", batchKey, deliveries } or { kind: "plan" }',
    ]);
    expect(logged(/names no batch waiting to be sent; acknowledged/)).toHaveLength(1);
    // The dead-letter queue takes bad input the same way.
    dead.put({ kind: "send" });
    await dead.drain(consumer(deps(), settings()), { batchSize: 10 });
    expect(dead.retries).toEqual([]);
  });
});

describe("provider pacing shared by every consumer", () => {
  it("reserves slots SEND_RATE_PER_SECOND apart across concurrent callers, in the database", async () => {
    await w.db.execute(sql`delete from send_pacing`);
    const slots = await Promise.all(Array.from({ length: 6 }, () => reserveSendSlot(w.db, "test-provider", 100)));
    const times = slots.map((s) => s.slotAt.getTime()).sort((a, b) => a - b);
    // Reserved faster than 10 a second: every slot 100 ms after the previous one, the waits growing with them.
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([100, 100, 100, 100, 100]);
    const waits = slots.map((s) => s.waitMs).sort((a, b) => a - b);
    expect(waits.at(-1)! - waits[0]!).toBeGreaterThanOrEqual(400);
    // Another provider has its own spacing.
    expect((await reserveSendSlot(w.db, "other-provider", 100)).waitMs).toBe(0);
  });

  it("the consumers' provider requests wait for their slots", async () => {
    await readers(300);
    await w.db.execute(sql`delete from send_pacing`);
    const d = deps();
    await fanOutDigests(d, main, { planSubscribers: 10_000 }, { sweep: true });
    // Two consumers at once, 3 requests at 2 a second: the later ones waited for slots 500 ms apart.
    await main.drain(consumer(d, settings()), { batchSize: 2, parallel: 2 });
    const waits = w.pacer.sleeps.filter((ms) => ms > 0).sort((a, b) => a - b);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits.at(-1)!).toBeGreaterThan(500);
  });
});

describe("queue messages", () => {
  it("reads send and plan messages and describes what is wrong with others", () => {
    const key = `digest-${"a".repeat(32)}`;
    const id = "0b6c8c3e-5f0e-4d7a-9a51-0a7f1c2d3e4f";
    expect(readMessage({ kind: "send", batchKey: key, deliveries: [id] })).toEqual({ ok: true, message: { kind: "send", batchKey: key, deliveries: [id] } });
    expect(readMessage({ kind: "plan" })).toEqual({ ok: true, message: { kind: "plan" } });
    expect(readMessage({ kind: "send", batchKey: key, deliveries: [id, "nope", 7] })).toEqual({ ok: false, error: "deliveries: expects 1 to 100 delivery ids (UUIDs)" });
    expect(readMessage({ kind: "send", batchKey: key, deliveries: Array.from({ length: 101 }, () => id) }).ok).toBe(false);
    expect(readMessage({ kind: "plan", extra: 1 })).toEqual({ ok: false, error: "unexpected field: extra" });
    expect(readMessage({})).toEqual({ ok: false, error: 'kind: expects "send" or "plan"' });
    expect(readMessage(undefined).ok).toBe(false);
  });
});
