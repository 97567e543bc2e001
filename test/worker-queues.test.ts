// The morning fanned out through Cloudflare Queues, as deployed: the bundle `wrangler deploy --dry-run`
// builds, run by Miniflare in workerd with real (local) queues wired as wrangler.toml wires them, against
// PostgreSQL through the Hyperdrive binding and the real Resend SDK pointed at the local fake. 5,000
// readers due at the same minute: the Cron Trigger plans a first lot and enqueues its batches, "plan more"
// messages plan the rest, the consumer sends — and, from a wrapper around the real Worker
// (test/helpers/worker-runtime.ts), invocations throw in the middle of their batch and messages are
// delivered twice. Every reader gets exactly one email. Then bad input, and a batch the provider keeps
// failing, which the dead-letter queue records failed.
// PostgreSQL only: workerd cannot reach the in-process PGlite (CI runs the suite a second time on
// PostgreSQL, where this file runs). test/worker-queue.test.ts runs the same code on Node on both.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliveries, subscribers } from "../db/schema";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { seedStory } from "./helpers/digest-world";
import { sentPerRecipient, startFakeResend, type FakeResend } from "./helpers/fake-resend";
import { buildWorker, hyperdriveUrl, readWranglerConfig, writeChaosWrapper } from "./helpers/worker-runtime";

const skip = !process.env.DATABASE_URL;
const READERS = 5_000;

interface ChaosState {
  invocations: number;
  thrown: number;
  throws: Array<{ messages: number; acked: number }>;
  duplicated: number;
  seen: Record<string, number>;
  active: number;
  lastActivity: number;
  now: number;
}
interface Runner {
  scheduled(options: { cron: string; scheduledTime?: Date }): Promise<{ outcome: string; noRetry: boolean }>;
  fetch(url: string, init?: RequestInit): Promise<Response>;
}

describe.skipIf(skip)("the morning through Cloudflare Queues, in workerd", () => {
  let database: TestDatabase;
  let fake: FakeResend;
  let mf: Miniflare;
  let outDir: string | undefined;
  let tickCron: string;
  let mainQueue: string;
  let deadQueue: string;
  let maxBatchSize: number;
  const lines: string[] = [];
  const worker = async () => (await mf.getWorker("world-digest")) as unknown as Runner;
  const chaos = async (set?: Record<string, unknown>): Promise<ChaosState> => {
    const res = await (await worker()).fetch("https://digest.example.com/__chaos", set ? { method: "POST", body: JSON.stringify(set) } : {});
    return (await res.json()) as ChaosState;
  };
  const counts = async () => {
    const [row] = await database.db
      .select({
        sent: sql<number>`count(*) filter (where ${deliveries.status} = 'sent')::int`,
        failed: sql<number>`count(*) filter (where ${deliveries.status} = 'failed')::int`,
        waiting: sql<number>`count(*) filter (where ${deliveries.status} in ('queued', 'sending'))::int`,
      })
      .from(deliveries);
    return { sent: Number(row!.sent), failed: Number(row!.failed), waiting: Number(row!.waiting) };
  };
  /** Polls until `done`, then until no invocation has run for `quietMs` (late duplicates and retries included). */
  async function settle(done: () => Promise<boolean>, timeoutMs: number, quietMs = 3_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > until) throw new Error(`not settled after ${timeoutMs} ms: ${JSON.stringify(await counts())}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    for (;;) {
      const state = await chaos();
      if (state.active === 0 && state.now - state.lastActivity >= quietMs) return;
      if (Date.now() > until) throw new Error("the queue never went quiet");
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    const config = await readWranglerConfig();
    tickCron = config.triggers.crons?.find((c) => c === config.vars.TICK_CRON) ?? "";
    const producer = config.queues.producers.find((p) => p.binding === "DIGEST_QUEUE")!;
    mainQueue = producer.queue;
    const consumer = config.queues.consumers.find((c) => c.queue === mainQueue)!;
    deadQueue = consumer.dead_letter_queue!;
    maxBatchSize = consumer.max_batch_size!;
    const build = await buildWorker();
    outDir = build.outDir;
    if (!build.ok) throw new Error(build.output);
    database = await createTestDatabase();
    fake = await startFakeResend();
    const { Miniflare } = await import("miniflare");
    mf = new Miniflare({
      workers: [
        {
          name: "world-digest",
          // Listed, not located: Miniflare's import walker cannot parse the bundle as an imported module.
          modules: [
            { type: "ESModule", path: writeChaosWrapper(outDir, mainQueue) },
            { type: "ESModule", path: join(outDir, "worker.js") },
          ],
          modulesRoot: outDir,
          compatibilityDate: config.compatibility_date,
          compatibilityFlags: config.compatibility_flags,
          hyperdrives: { HYPERDRIVE: hyperdriveUrl(database.url!) },
          bindings: {
            ...config.vars,
            APP_SECRET: "worker-test-secret-worker-test-secret-0123",
            RESEND_API_KEY: "re_worker_test",
            RESEND_BASE_URL: fake.url,
            // 1,000 a planning invocation: the trigger and four "plan more" messages plan the morning.
            WORKER_PLAN_LIMIT: "1000",
            // Retries after 1, 2 s instead of 30, 60 s; pacing that does not make the test wait.
            WORKER_QUEUE_RETRY_SECONDS: "1",
            SEND_RATE_PER_SECOND: "200",
            LOG_LEVEL: "info",
          },
          queueProducers: Object.fromEntries(config.queues.producers.map((p) => [p.binding, { queueName: p.queue }])),
          // As wrangler.toml says, with shorter waits (Miniflare waits for real) and fewer retries.
          queueConsumers: Object.fromEntries(
            config.queues.consumers.map((c) => [
              c.queue,
              {
                maxBatchSize: c.max_batch_size,
                maxBatchTimeout: c.max_batch_timeout ?? 1,
                maxRetries: 2,
                retryDelay: 1,
                ...(c.dead_letter_queue ? { deadLetterQueue: c.dead_letter_queue } : {}),
              },
            ]),
          ),
        },
      ],
      handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
        for (const stream of [stdout, stderr]) {
          let rest = "";
          stream.on("data", (chunk: Buffer) => {
            const parts = (rest + chunk.toString("utf8")).split("\n");
            rest = parts.pop() ?? "";
            lines.push(...parts);
          });
        }
      },
    });
    await mf.ready;
  }, 180_000);

  afterAll(async () => {
    await mf?.dispose();
    await fake?.close();
    await database?.drop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("wrangler.toml binds the producer and consumes both the digest queue and its dead-letter queue", async () => {
    const config = await readWranglerConfig();
    expect(tickCron).not.toBe("");
    expect(config.vars.DIGEST_DEAD_LETTER_QUEUE).toBe(deadQueue);
    expect(config.queues.consumers.map((c) => c.queue).sort()).toEqual([mainQueue, deadQueue].sort());
    expect(maxBatchSize).toBeGreaterThan(1);
  });

  it(`sends ${READERS.toLocaleString("en")} readers due at the same minute exactly once, through consumers that throw mid-batch and messages delivered twice`, async () => {
    const now = Date.now();
    await seedStory(database.db, {
      title: "Tokyo harbour reopens after the typhoon",
      articles: [
        { country: "JP", outlet: "Tokyo Morning Post", publishedAt: new Date(now - 3 * 3_600_000) },
        { country: "KR", outlet: "Seoul Daily Courier", publishedAt: new Date(now - 2 * 3_600_000) },
      ],
    });
    const emails = Array.from({ length: READERS }, (_, i) => `reader${String(i).padStart(5, "0")}@example.com`);
    for (let i = 0; i < READERS; i += 1000) {
      await database.db
        .insert(subscribers)
        .values(emails.slice(i, i + 1000).map((email) => ({ email, status: "active" as const, countries: ["JP"], timeZone: "UTC", nextSendAt: new Date(now - 60_000) })));
    }
    // The 3rd and 7th consumer invocations throw after their first message is acknowledged; every 9th
    // batch message is delivered a second time.
    await chaos({ throwOnInvocations: [3, 7], duplicateEvery: 9 });

    const result = await (await worker()).scheduled({ cron: tickCron, scheduledTime: new Date(now) });
    expect(result.outcome).toBe("ok");
    await settle(async () => {
      const c = await counts();
      return c.sent + c.failed >= READERS && c.waiting === 0;
    }, 240_000);

    const state = await chaos();
    expect(state.thrown).toBe(2);
    // Mid-batch: when each threw, messages of its batch were still unacknowledged (in flight or not started).
    expect(state.throws.every((t) => t.messages > t.acked && t.acked >= 1)).toBe(true);
    expect(state.duplicated).toBeGreaterThanOrEqual(5);
    // Messages delivered more than once: the duplicates, and those of the invocations that threw.
    expect(Object.values(state.seen).filter((n) => n > 1).length).toBeGreaterThanOrEqual(state.duplicated);

    const per = sentPerRecipient(fake);
    expect(per.size).toBe(READERS);
    expect([...per.values()].filter((list) => list.length !== 1)).toEqual([]);
    expect(fake.violations).toEqual([]);
    expect(await counts()).toEqual({ sent: READERS, failed: 0, waiting: 0 });
    // 50 batches of 100, each under its own key; repeats of a key carried the same bytes.
    const keys = new Set(fake.requests.map((r) => r.idempotencyKey));
    expect(keys.size).toBe(READERS / 100);
    for (const key of keys) expect(new Set(fake.requests.filter((r) => r.idempotencyKey === key).map((r) => r.bodyHash)).size).toBe(1);
    // The trigger planned 1,000; four "plan more" messages planned the rest (the fifth found none due).
    const plans = Object.entries(state.seen).filter(([body]) => body === JSON.stringify({ kind: "plan" }));
    expect(plans.length).toBe(1);
    expect(plans[0]![1]).toBeGreaterThanOrEqual(5);
    const [due] = await database.db.select({ n: sql<number>`count(*)::int` }).from(subscribers).where(sql`next_send_at <= now()`);
    expect(Number(due!.n)).toBe(0);
  }, 300_000);

  it("bad input is logged and acknowledged once, never retried: a malformed body, an unknown kind, a batch that does not exist", async () => {
    await chaos({ throwOnInvocations: [], duplicateEvery: 0 });
    const queue = await mf.getQueueProducer<unknown>("DIGEST_QUEUE", "world-digest");
    const bad = [{ kind: "send", batchKey: "digest-nope", deliveries: "all" }, { kind: "explode" }, { kind: "send", batchKey: `digest-${"f".repeat(32)}`, deliveries: ["00000000-0000-4000-8000-000000000001"] }];
    const before = lines.length;
    for (const body of bad) await queue.send(body, { contentType: "json" });
    await settle(async () => lines.slice(before).filter((l) => /acknowledged/.test(l)).length >= 3, 30_000, 4_000);
    const state = await chaos();
    for (const body of bad) expect(state.seen[JSON.stringify(body)]).toBe(1);
    const logged = lines.slice(before).join("\n");
    expect(logged).toMatch(/digest queue message is malformed; acknowledged.*batchKey: expects digest- and 32 hex digits; deliveries: expects 1 to 100 delivery ids/);
    expect(logged).toMatch(/digest queue message is malformed; acknowledged.*kind: expects \\"send\\" or \\"plan\\"/);
    expect(logged).toMatch(/digest queue message names no batch waiting to be sent; acknowledged/);
  }, 60_000);

  it("a batch the provider keeps failing goes to the dead-letter queue, which records its deliveries failed with the reason", async () => {
    const now = Date.now();
    await database.db.insert(subscribers).values({ email: "unlucky@example.com", status: "active", countries: ["JP"], timeZone: "UTC", nextSendAt: new Date(now - 60_000) });
    // 3 deliveries (max_retries 2 here) of 3 quick tries each: every one answered 500.
    fake.failNext(...Array.from({ length: 9 }, () => ({ kind: "500" as const })));
    const requests = fake.requests.length;
    expect((await (await worker()).scheduled({ cron: tickCron, scheduledTime: new Date(now) })).outcome).toBe("ok");
    await settle(async () => (await counts()).failed === 1, 90_000);

    const [row] = await database.db.select().from(deliveries).where(sql`status = 'failed'`);
    expect(row!.reason).toMatch(/^dead-lettered: the digest queue gave up on this batch.*; last: provider unavailable: internal_server_error.*\(after 3 attempts\)/);
    expect(fake.requests.length - requests).toBe(9);
    expect(fake.sent.filter((e) => e.to.includes("unlucky@example.com"))).toEqual([]);
    expect(lines.join("\n")).toMatch(/digest batch dead-lettered: its deliveries are recorded failed/);
  }, 120_000);
});
