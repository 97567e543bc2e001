// What one Cron Trigger does on Workers, run here on Node against the test database (src/worker/jobs.ts
// is platform-free): the tick and ingestion stay within their per-trigger limits, and what does not fit
// is done by the next trigger — every due subscriber gets exactly one digest, every due feed is fetched.
import { eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliveries, sources } from "../db/schema";
import { insertSource } from "../db/queries/sources";
import { readSourceCatalog } from "../src/feeds/source-catalog";
import { seedSources } from "../src/ingest/seed-sources";
import { testConfig } from "../src/config";
import { silentLogger } from "../src/log";
import type { Deps } from "../src/deps";
import { jobFor, workerIngestion, workerTick } from "../src/worker/jobs";
import { withProviderBudget } from "../src/worker/provider-budget";
import { queueSubscription } from "../src/subscriptions/subscribe-requests";
import { queuedMailCount } from "../db/queries/mail-queue";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { addSubscriber, createDigestWorld, seedStory, type DigestWorld } from "./helpers/digest-world";
import { sentPerRecipient } from "./helpers/fake-resend";
import { startFeedServer, type FeedServer } from "./helpers/ingest-feed-server";

const START = "2026-05-11T07:05:00Z";
const HOUR = 3_600_000;

describe("the Worker's digest tick", () => {
  let w: DigestWorld;
  beforeAll(async () => {
    w = await createDigestWorld(START);
  });
  afterAll(() => w.close());
  beforeEach(() => w.reset(START));

  async function dueSubscribers(n: number): Promise<string[]> {
    await seedStory(w.db, {
      title: "Tokyo rethinks its earthquake drills",
      articles: [{ country: "JP", outlet: "Asahi", publishedAt: new Date(w.clock.now.getTime() - 3 * HOUR) }],
    });
    const emails = Array.from({ length: n }, (_, i) => `reader${String(i).padStart(3, "0")}@example.com`);
    for (const email of emails) await addSubscriber(w.db, { email, countries: ["JP"], nextSendAt: new Date(w.clock.now.getTime() - 60_000) });
    return emails;
  }

  it("stops at its provider budget and hands the batch back; the next trigger sends the rest, each email once", async () => {
    const emails = await dueSubscribers(150); // two batches: 100 + 50
    const limits = { tickSubscribers: 1_000, tickBatches: 1, ingestSources: 10, planSubscribers: 10_000, queueRetrySeconds: 30 };

    const first = await workerTick(w.deps, limits);
    expect(first.planned).toBe(150);
    expect(first.stopped).toMatch(/WORKER_TICK_BATCHES/);
    // One provider request (how many emails it held depends on how planning and claiming interleaved).
    expect(w.fake.requests).toHaveLength(1);
    expect(first.sent).toBe(w.fake.requests[0]!.emails.length);
    expect(first.sent).toBeLessThan(150);
    const left = await w.db.select().from(deliveries).where(eq(deliveries.status, "sent"));
    expect(left).toHaveLength(first.sent);

    // Later triggers, five minutes apart: the handed-back batch is re-claimed and sent, then the rest.
    let sent = first.sent;
    for (let trigger = 0; trigger < 5 && sent < 150; trigger++) {
      w.clock.advance(5 * 60_000);
      const next = await workerTick(w.deps, limits);
      expect(w.fake.requests.length).toBeLessThanOrEqual(2 + trigger);
      sent += next.sent;
    }
    expect(sent).toBe(150);

    const perRecipient = sentPerRecipient(w.fake);
    expect([...perRecipient.keys()].sort()).toEqual(emails);
    expect([...perRecipient.values()].every((list) => list.length === 1)).toBe(true);
    expect(w.fake.violations).toEqual([]);
    const statuses = await w.db.select({ status: deliveries.status }).from(deliveries);
    expect(statuses.every((d) => d.status === "sent")).toBe(true);
  });

  it("plans at most WORKER_TICK_LIMIT subscribers; the others stay due for the next trigger", async () => {
    const emails = await dueSubscribers(5);
    const limits = { tickSubscribers: 2, tickBatches: 20, ingestSources: 10, planSubscribers: 10_000, queueRetrySeconds: 30 };
    const sent: number[] = [];
    for (let trigger = 0; trigger < 3; trigger++) {
      sent.push((await workerTick(w.deps, limits)).sent);
      w.clock.advance(5 * 60_000);
    }
    expect(sent).toEqual([2, 2, 1]);
    expect([...sentPerRecipient(w.fake).keys()].sort()).toEqual(emails);
  });

  it("sends the service emails requests left queued before the digests, out of the same provider budget", async () => {
    await dueSubscribers(1);
    // Three subscribe requests whose waitUntil never ran (the invocation was cut short, say).
    for (const email of ["late1@example.com", "late2@example.com", "late3@example.com"]) {
      await queueSubscription(w.deps, email, { countries: ["JP"], frequency: "daily", weeklyDay: null, deliveryTime: "07:00", timeZone: "UTC" });
    }
    const limits = { tickSubscribers: 1_000, tickBatches: 2, ingestSources: 10, planSubscribers: 1_000, queueRetrySeconds: 30 };
    await workerTick(w.deps, limits);
    // Two provider requests in this trigger's budget: two confirmations; the third, and the digest, wait.
    // (The drainer handles a few rows at once, so which two of the three got the budget varies.)
    expect(w.fake.requests).toHaveLength(2);
    const first = w.fake.sent.map((e) => e.to[0]!);
    expect(new Set(first).size).toBe(2);
    for (const to of first) expect(["late1@example.com", "late2@example.com", "late3@example.com"]).toContain(to);
    expect(await queuedMailCount(w.db)).toBe(1);
    for (let trigger = 0; trigger < 3; trigger++) {
      w.clock.advance(5 * 60_000);
      await workerTick(w.deps, limits);
    }
    expect(w.fake.sent.map((e) => e.to[0]).sort()).toEqual(["late1@example.com", "late2@example.com", "late3@example.com", "reader000@example.com"]);
    expect(await queuedMailCount(w.db)).toBe(0);
  });

  it("a budget mailer passes requests through until the budget is used", async () => {
    const mailer = withProviderBudget(w.deps.mailer, 2, 61_000);
    const email = { from: "World Digest <digest@example.com>", to: "a@example.com", subject: "s", html: "<p>h</p>", text: "t" };
    expect((await mailer.sendBatch([email], { idempotencyKey: "k1" })).kind).toBe("accepted");
    expect((await mailer.sendBatch([email], { idempotencyKey: "k2" })).kind).toBe("accepted");
    expect(await mailer.sendBatch([email], { idempotencyKey: "k3" })).toMatchObject({ kind: "failed", retryable: true, status: 429, retryAfterMs: 61_000 });
    expect(mailer.used()).toBe(2);
    expect(mailer.exhausted()).toBe(true);
    expect(w.fake.requests).toHaveLength(2);
  });
});

describe("the Worker's ingestion trigger", () => {
  let database: TestDatabase;
  let feeds: FeedServer;
  const now = new Date(START);
  beforeAll(async () => {
    database = await createTestDatabase();
    feeds = await startFeedServer();
  });
  afterAll(async () => {
    await feeds.close();
    await database.drop();
  });

  it("fetches at most WORKER_INGEST_SOURCES feeds, the longest-unfetched first; the next trigger takes the rest", async () => {
    // The bundled catalog is seeded by every run: keep it disabled here (no network in tests).
    await seedSources(database.db, readSourceCatalog());
    await database.db.update(sources).set({ enabled: false });
    const slugs = ["ke-one", "ke-two", "ke-three"];
    for (const [i, slug] of slugs.entries()) {
      feeds.feeds.set(`/${slug}.xml`, {
        body: `<rss version="2.0"><channel><title>${slug}</title><link>https://ke.example/</link><language>en</language><item><title>Story ${i} from ${slug} about water tariffs</title><link>https://ke.example/${slug}/1</link><pubDate>${new Date(now.getTime() - HOUR).toUTCString()}</pubDate></item></channel></rss>`,
      });
      await insertSource(database.db, { slug, name: slug, country: "KE", homepage: "https://ke.example/", feedUrl: `${feeds.url}/${slug}.xml`, language: "en" });
    }
    const deps = {
      db: database.db,
      dbKind: database.kind,
      config: testConfig({ FEED_ALLOW_PRIVATE: true, SAMPLE_CONTENT: "off" }),
      clock: () => now,
      log: silentLogger,
    } as unknown as Deps;
    const limits = { tickSubscribers: 10, tickBatches: 10, ingestSources: 2, planSubscribers: 10_000, queueRetrySeconds: 30 };

    const first = await workerIngestion(deps, limits);
    expect(first.sources.map((s) => s.slug)).toEqual(["ke-one", "ke-two"]);
    expect(first.totals.new).toBe(2);
    const second = await workerIngestion({ ...deps, clock: () => new Date(now.getTime() + 30 * 60_000) }, limits);
    expect(second.sources[0]?.slug).toBe("ke-three");
    const fetched = await database.db.select({ slug: sources.slug }).from(sources).where(isNotNull(sources.lastSuccessAt));
    expect(fetched.map((s) => s.slug).sort()).toEqual([...slugs].sort());
  });
});

describe("which job a Cron Trigger runs", () => {
  it("follows TICK_CRON and INGEST_CRON; an unknown cron runs nothing", () => {
    const config = testConfig({ TICK_CRON: "*/5 * * * *", INGEST_CRON: "*/30 * * * *" });
    expect(jobFor("*/5 * * * *", config)).toBe("tick");
    expect(jobFor("*/30 * * * *", config)).toBe("ingest");
    expect(jobFor("0 * * * *", config)).toBeNull();
  });
});
