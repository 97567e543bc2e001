// The Cloudflare Worker, built and run as it would be deployed: `wrangler deploy --dry-run` builds the
// bundle (size within Cloudflare's limit, nothing Node-only of ours in it), then Miniflare runs that bundle
// in workerd against the local PostgreSQL (through its Hyperdrive binding), with the real Resend SDK
// pointed at a local fake: GET /healthz, a subscription, an ingestion trigger over a feed served on
// 127.0.0.1 and a digest tick that sends a digest. Miniflare is given no queue binding here: the Worker as
// an older wrangler.toml (without [[queues.producers]]) deploys it, whose tick sends by itself — that path
// must keep working. The queues are tested in test/worker-queues.test.ts.
// PostgreSQL only: workerd cannot reach the in-process PGlite, so this file skips without DATABASE_URL
// (CI runs the whole suite a second time on PostgreSQL, where it runs).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articles, sources } from "../db/schema";
import { WORLD_MAP_PATH } from "../src/views/world-map";
import { worldMapSvg } from "../src/views/world-map-svg";
import { findSubscriberByEmail } from "../db/queries/subscribers";
import { insertSource } from "../db/queries/sources";
import { readSourceCatalog } from "../src/feeds/source-catalog";
import { seedSources } from "../src/ingest/seed-sources";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { addSubscriber, deliveriesOf, seedStory } from "./helpers/digest-world";
import { startFakeResend, type FakeResend } from "./helpers/fake-resend";
import { startFeedServer, type FeedServer } from "./helpers/ingest-feed-server";

const repo = resolve(import.meta.dirname, "..");
const MiB = 1024 * 1024;
/** Cloudflare's limit on a Worker's compressed size on the Free plan (Paid: 10 MB). */
const FREE_PLAN_LIMIT = 3 * MiB;

/** Modules that must never reach the Worker: the Node entry, its jobs and tools, PGlite, the file outbox. */
const nodeOnly = [
  /(^|\/)src\/server\.ts$/,
  /(^|\/)src\/node\//,
  /(^|\/)src\/cli\//,
  /(^|\/)db\/pglite\.ts$/,
  /(^|\/)db\/migrate\.ts$/,
  /(^|\/)src\/mail\/outbox-mailer\.ts$/,
  /(^|\/)src\/feeds\/sample-feeds\.ts$/,
  /(^|\/)src\/translate\/sample-translator\.ts$/,
  /node_modules\/@electric-sql\/pglite\//,
  /node_modules\/node-cron\//,
  /node_modules\/@hono\/node-server\//,
];
/** What the bundle may import from the runtime: our HMACs (node:crypto), postgres.js's Workers build, sockets. */
const allowedRuntimeImports = new Set(["node:crypto", "node:buffer", "node:stream", "node:events", "cloudflare:sockets"]);

const skip = !process.env.DATABASE_URL;

/** What Miniflare's worker handle offers for Cron Triggers (its own types need @cloudflare/workers-types). */
interface ScheduledRunner {
  scheduled(options: { cron: string; scheduledTime?: Date }): Promise<{ outcome: string; noRetry: boolean }>;
}

describe.skipIf(skip)("the Cloudflare Worker", () => {
  let origin: string;
  let tickCron: string | undefined;
  let ingestCron: string | undefined;
  let outDir: string;
  let build: { ok: boolean; output: string };
  let database: TestDatabase;
  let fake: FakeResend;
  let feeds: FeedServer;
  let mf: Miniflare;
  const trigger = async (cron: string, at: number) =>
    ((await mf.getWorker()) as unknown as ScheduledRunner).scheduled({ cron, scheduledTime: new Date(at) });

  beforeAll(async () => {
    // Imported here so the PGlite run (skipped) does not pay for loading wrangler.
    const { unstable_readConfig } = await import("wrangler");
    const { Miniflare } = await import("miniflare");
    const config = unstable_readConfig({ config: join(repo, "wrangler.toml") });
    origin = String(config.vars.PUBLIC_URL);
    const crons: string[] = config.triggers.crons ?? [];
    tickCron = crons.find((c) => c === config.vars.TICK_CRON);
    ingestCron = crons.find((c) => c === config.vars.INGEST_CRON);
    outDir = mkdtempSync(join(tmpdir(), "wd-worker-"));
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [join(repo, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outDir],
        { cwd: repo, env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" }, timeout: 120_000 },
      );
      build = { ok: true, output: stdout + stderr };
    } catch (error) {
      build = { ok: false, output: String((error as { stderr?: string }).stderr ?? error) };
      return;
    }
    database = await createTestDatabase();
    fake = await startFakeResend();
    feeds = await startFeedServer();
    // Miniflare wants a password in a Hyperdrive URL; with trust authentication any one does.
    const dbUrl = new URL(database.url!);
    if (!dbUrl.password) dbUrl.password = "local";
    const worker = {
      scriptPath: join(outDir, "worker.js"),
      modules: true,
      modulesRoot: outDir,
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags,
      hyperdrives: { HYPERDRIVE: dbUrl.toString() },
    };
    const vars = config.vars as Record<string, string>;
    mf = new Miniflare({
      workers: [
        {
          ...worker,
          name: "world-digest",
          bindings: {
            ...vars,
            APP_SECRET: "worker-test-secret-worker-test-secret-0123",
            RESEND_API_KEY: "re_worker_test",
            RESEND_BASE_URL: fake.url,
            // The test feed lives on 127.0.0.1.
            FEED_ALLOW_PRIVATE: "true",
            LOG_LEVEL: "warn",
          },
        },
        // The same bundle deployed before `wrangler secret put RESEND_API_KEY`.
        { ...worker, name: "without-resend-key", bindings: { ...vars, APP_SECRET: "worker-test-secret-worker-test-secret-0123" } },
      ],
    });
    await mf.ready;
  }, 180_000);

  afterAll(async () => {
    await mf?.dispose();
    await fake?.close();
    await feeds?.close();
    await database?.drop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it("builds with wrangler deploy --dry-run, within the Free plan's size limit", () => {
    expect(build.ok, build.output).toBe(true);
    const gzipped = gzipSync(readFileSync(join(outDir, "worker.js"))).byteLength;
    expect(gzipped).toBeLessThan(FREE_PLAN_LIMIT);
  });

  it("bundles nothing Node-only of ours: no PGlite, node-cron, outbox, fs, http, dns or path", () => {
    const bundle = readFileSync(join(outDir, "worker.js"), "utf8");
    const map = JSON.parse(readFileSync(join(outDir, "worker.js.map"), "utf8")) as { sources: string[] };
    expect(map.sources.some((s) => s.endsWith("src/worker.ts"))).toBe(true);
    expect(map.sources.filter((s) => nodeOnly.some((p) => p.test(s)))).toEqual([]);
    const imported = new Set<string>();
    for (const m of bundle.matchAll(/^\s*import\s[^;]*?from\s*"([^"]+)"|^\s*import\s*"([^"]+)"|__require\("([^"]+)"\)/gm)) imported.add(m[1] ?? m[2] ?? m[3]!);
    expect([...imported].filter((s) => !allowedRuntimeImports.has(s))).toEqual([]);
  });

  it("answers GET /healthz from the database", async () => {
    const res = await mf.dispatchFetch(`${origin}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "reachable" });
  });

  it("answers 503 naming RESEND_API_KEY while that secret is missing", async () => {
    const unconfigured = (await mf.getWorker("without-resend-key")) as unknown as { fetch(url: string): Promise<Response> };
    const res = await unconfigured.fetch(`${origin}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/RESEND_API_KEY: required on Cloudflare Workers/);
  });

  it("takes a subscription: a pending subscriber and a confirmation email through Resend, sent after the answer (waitUntil)", async () => {
    const body = new URLSearchParams({ email: "ana@example.com", frequency: "weekdays", deliveryTime: "07:00", timeZone: "America/Chicago" });
    for (const c of ["JP", "BR", "SK"]) body.append("countries", c);
    const res = await mf.dispatchFetch(`${origin}/subscribe`, {
      method: "POST",
      body: body.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", origin },
    });
    expect(res.status).toBe(200);
    await res.text();
    // The request is decided and the email sent in the invocation's waitUntil, after the answer.
    await expect.poll(() => fake.sent.filter((e) => e.to.includes("ana@example.com")).length, { timeout: 15_000 }).toBe(1);
    const row = await findSubscriberByEmail(database.db, "ana@example.com");
    expect(row).toMatchObject({ status: "pending", countries: ["BR", "JP", "SK"], timeZone: "America/Chicago" });
    const confirmation = fake.sent.filter((e) => e.to.includes("ana@example.com"));
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]!.text).toContain(`${origin}/confirm/`);
    expect(fake.requests.at(-1)?.authorization).toBe("Bearer re_worker_test");
  });

  it("serves the world map (gzipped once, sent as it is) and a country page", async () => {
    const map = await mf.dispatchFetch(`${origin}${WORLD_MAP_PATH}`, { headers: { "accept-encoding": "gzip" } });
    expect(map.status).toBe(200);
    expect(map.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    // Miniflare's fetch decodes as a browser would: the text arrives whole, not gzipped twice.
    expect(await map.text()).toBe(worldMapSvg);
    const page = await mf.dispatchFetch(`${origin}/countries/ke`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/No stories from Kenya (yet|in the last 3 days)/);
    expect((await mf.dispatchFetch(`${origin}/countries/zz`)).status).toBe(404);
  });

  it("the ingestion trigger fetches a due feed with fetch() and stores its items", async () => {
    expect(ingestCron).toBeDefined();
    // The real catalog stays disabled (no network here); one outlet is served on 127.0.0.1.
    await seedSources(database.db, readSourceCatalog());
    await database.db.update(sources).set({ enabled: false });
    const now = Date.now();
    const item = (n: number) =>
      `<item><title>Nairobi council votes on water tariffs, part ${n}</title><link>https://ke.example/news/${n}</link>` +
      `<description>What the council decided about water, in two lines.</description><pubDate>${new Date(now - n * 3_600_000).toUTCString()}</pubDate></item>`;
    feeds.feeds.set("/ke.xml", {
      body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Nairobi Test Times</title><link>https://ke.example/</link><language>en</language>${[1, 2, 3].map(item).join("")}</channel></rss>`,
    });
    const source = await insertSource(database.db, {
      slug: "ke-test-times",
      name: "Nairobi Test Times",
      country: "KE",
      homepage: "https://ke.example/",
      feedUrl: `${feeds.url}/ke.xml`,
      language: "en",
    });

    const result = await trigger(ingestCron!, now);
    expect(result.outcome).toBe("ok");

    expect(feeds.hits.get("/ke.xml")?.total).toBe(1);
    const stored = await database.db.select().from(articles).where(eq(articles.sourceId, source!.id));
    expect(stored.map((a) => a.url).sort()).toEqual([1, 2, 3].map((n) => `https://ke.example/news/${n}`));
    expect(stored.every((a) => a.storyId !== null)).toBe(true);
  });

  it("the tick trigger sends a due subscriber's digest through Resend and records it", async () => {
    expect(tickCron).toBeDefined();
    // workerd runs on the real clock: the story and the due time are placed around it.
    const now = Date.now();
    await seedStory(database.db, {
      title: "Tokyo harbour reopens after the typhoon",
      articles: [
        { country: "JP", outlet: "Tokyo Morning Post", publishedAt: new Date(now - 3 * 3_600_000) },
        { country: "KR", outlet: "Seoul Daily Courier", publishedAt: new Date(now - 2 * 3_600_000) },
      ],
    });
    const id = await addSubscriber(database.db, { email: "kenji@example.com", countries: ["JP"], nextSendAt: new Date(now - 60_000) });
    const before = fake.sent.length;

    const result = await trigger(tickCron!, now);
    expect(result.outcome).toBe("ok");

    const digests = fake.sent.slice(before).filter((e) => e.to.includes("kenji@example.com"));
    expect(digests).toHaveLength(1);
    expect(digests[0]!.html).toContain("Tokyo harbour reopens after the typhoon");
    expect(digests[0]!.headers?.["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(digests[0]!.headers?.["List-Unsubscribe"]).toMatch(new RegExp(`^<${origin}/unsubscribe/`));
    const [delivery] = await deliveriesOf(database.db, id);
    expect(delivery).toMatchObject({ status: "sent" });
    expect(delivery!.providerMessageId).toBe(digests[0]!.id);

    // A second tick finds nothing due: nothing more is sent.
    const again = await trigger(tickCron!, now + 1_000);
    expect(again.outcome).toBe("ok");
    expect(fake.sent.filter((e) => e.to.includes("kenji@example.com"))).toHaveLength(1);
  });
});
