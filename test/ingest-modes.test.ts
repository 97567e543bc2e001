import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { startFeedServer, rss, type FeedServer } from "./helpers/ingest-feed-server";
import { startTranslationServer, type TranslationServer } from "./helpers/translation-server";
import { testConfig, type Config } from "../src/config";
import { silentLogger } from "../src/log";
import { runIngestion } from "../src/ingest/ingest";
import { nodeIngestDeps } from "../src/node/ingest-deps";
import { createDeeplTranslator } from "../src/translate/deepl";
import { sampleSources } from "../src/feeds/sample-feeds";
import { articles, sources, stories } from "../db/schema";
import { updateSource } from "../db/queries/sources";
import type { SourceRecord } from "../src/feeds/types";
import { storeArticles } from "../src/ingest/store-articles";
import { clusterPendingArticles } from "../src/ingest/cluster-stories";

const now = new Date("2025-03-18T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const DAY = 86_400_000;

let feedServer: FeedServer;
let translation: TranslationServer;
const opened: TestDatabase[] = [];

beforeAll(async () => {
  feedServer = await startFeedServer();
  translation = await startTranslationServer({ deeplKey: "k" });
  feedServer.feeds.set(
    "/le-monde.xml",
    {
      body: rss("Le Monde", "fr", [
        { title: "La Banque du Japon relève ses taux", description: "Une première depuis 17 ans.", link: "https://lemonde.example/boj", pubDate: hoursAgo(3) },
        { title: "Grève à la SNCF jeudi", description: "Trafic perturbé.", link: "https://lemonde.example/greve", pubDate: hoursAgo(2) },
        { title: "Un article trop ancien", link: "https://lemonde.example/old", pubDate: new Date(now.getTime() - 45 * DAY) },
      ]),
    },
  );
  feedServer.feeds.set("/el-pais.xml", { body: rss("El País", "es", [{ title: "Sequía en Cataluña", link: "https://elpais.example/sequia", pubDate: hoursAgo(4) }]) });
});
afterAll(async () => {
  await feedServer.close();
  await translation.close();
  for (const d of opened) await d.drop();
});

async function freshDb() {
  const d = await createTestDatabase();
  opened.push(d);
  return d;
}

const record = (slug: string, name: string, country: string, language: string, feedUrl: string): SourceRecord => ({
  slug, name, country, language, feedUrl, homepage: "https://example.org/", isReference: false, isSample: false,
});
const deps = (d: TestDatabase, catalog: SourceRecord[], config: Partial<Config> = {}) =>
  nodeIngestDeps({
    db: d.db,
    config: testConfig({ FEED_ALLOW_PRIVATE: true, FEED_TIMEOUT_MS: 20_000, ...config }),
    log: silentLogger,
    catalog: () => catalog,
  });

describe("sample content", () => {
  it("SAMPLE_CONTENT=on ingests the offline sample feeds in English, marked as sample, and fetches nothing real", async () => {
    const d = await freshDb();
    const real = record("fr-le-monde", "Le Monde", "FR", "fr", `${feedServer.url}/le-monde.xml`);
    const hitsBefore = feedServer.hits.get("/le-monde.xml")?.total ?? 0;
    const summary = await runIngestion(deps(d, [real, ...sampleSources()], { SAMPLE_CONTENT: "on" }), { now, translator: null });
    expect(summary.mode).toBe("sample");
    expect(summary.totals.errors).toBe(0);
    expect(summary.totals.new).toBeGreaterThan(20);
    expect(feedServer.hits.get("/le-monde.xml")?.total ?? 0).toBe(hitsBefore);

    const rows = await d.db.select().from(articles);
    expect(rows.every((a) => a.isSample)).toBe(true);
    expect(rows.filter((a) => a.language !== "en").every((a) => a.translated && !a.untranslated)).toBe(true);
    const storyRows = await d.db.select().from(stories);
    expect(storyRows.every((s) => s.isSample)).toBe(true);
    expect(storyRows.some((s) => s.countryCount >= 3 && /none of|not by/.test(s.overlookedReason))).toBe(true);
    expect(summary.translation.translator).toBe("sample");

    const again = await runIngestion(deps(d, [real, ...sampleSources()], { SAMPLE_CONTENT: "on" }), { now: new Date(now.getTime() + 1800_000), translator: null });
    expect(again.totals.new).toBe(0);
    expect(again.clustering.articlesPlaced).toBe(0);
  });

  it("auto: shows samples while no real feed has answered, and removes them once one does", async () => {
    const d = await freshDb();
    const real = record("fr-le-monde", "Le Monde", "FR", "fr", "http://127.0.0.1:1/unreachable.xml");
    const first = await runIngestion(deps(d, [real, ...sampleSources()], { SAMPLE_CONTENT: "auto" }), { now, translator: null });
    expect(first.mode).toBe("feeds+sample");
    expect(first.sources.find((s) => s.slug === "fr-le-monde")!.status).toBe("error");
    expect((await d.db.select().from(articles)).length).toBeGreaterThan(20);

    const [row] = await d.db.select().from(sources).where(eq(sources.slug, "fr-le-monde"));
    await updateSource(d.db, row!.id, { feedUrl: `${feedServer.url}/le-monde.xml` }, { resetFetchState: true });
    const second = await runIngestion(deps(d, [real, ...sampleSources()], { SAMPLE_CONTENT: "auto" }), { now: new Date(now.getTime() + 60_000), translator: null });
    expect(second.sources.find((s) => s.slug === "fr-le-monde")!.status).toBe("ok");
    expect(second.purged.sampleArticles).toBeGreaterThan(20);
    const left = await d.db.select().from(articles);
    expect(left.map((a) => a.url).sort()).toEqual(["https://lemonde.example/boj", "https://lemonde.example/greve"]);
    expect((await d.db.select().from(stories)).every((s) => !s.isSample)).toBe(true);

    const third = await runIngestion(deps(d, [real, ...sampleSources()], { SAMPLE_CONTENT: "auto" }), { now: new Date(now.getTime() + 120_000), translator: null });
    expect(third.mode).toBe("feeds");
  });
});

describe("translation during ingestion", () => {
  it("without a translator keeps the original text and marks it untranslated", async () => {
    const d = await freshDb();
    const summary = await runIngestion(deps(d, [record("fr-le-monde", "Le Monde", "FR", "fr", `${feedServer.url}/le-monde.xml`)], { SAMPLE_CONTENT: "off" }), { now, translator: null });
    expect(summary.translation.translator).toBeNull();
    const [a] = await d.db.select().from(articles).where(eq(articles.url, "https://lemonde.example/boj"));
    expect(a).toMatchObject({ title: "La Banque du Japon relève ses taux", originalTitle: "La Banque du Japon relève ses taux", translated: false, untranslated: true });
  });

  it("stops translating for the run on a 456 quota answer, keeping the rest untranslated", async () => {
    const d = await freshDb();
    translation.requests.length = 0;
    translation.script.push({ status: 456, body: { message: "Quota for this billing period has been exceeded" } });
    const catalog = [
      record("fr-le-monde", "Le Monde", "FR", "fr", `${feedServer.url}/le-monde.xml`),
      record("es-el-pais", "El País", "ES", "es", `${feedServer.url}/el-pais.xml`),
    ];
    const summary = await runIngestion(deps(d, catalog, { SAMPLE_CONTENT: "off", FEED_CONCURRENCY: 1 }), {
      now,
      translator: createDeeplTranslator({ apiKey: "k", baseUrl: translation.url, sleep: async () => {} }),
    });
    expect(summary.translation.stoppedBecause).toContain("quota");
    expect(translation.requests).toHaveLength(1);
    const rows = await d.db.select().from(articles);
    expect(rows).toHaveLength(3);
    expect(rows.every((a) => a.untranslated && !a.translated)).toBe(true);
  });
});

describe("retention", () => {
  it("does not store items older than the retention period, and purges articles and stories that age out", async () => {
    const d = await freshDb();
    const catalog = [record("fr-le-monde", "Le Monde", "FR", "fr", `${feedServer.url}/le-monde.xml`)];
    const summary = await runIngestion(deps(d, catalog, { SAMPLE_CONTENT: "off", RETENTION_DAYS: 30 }), { now, translator: null });
    expect(summary.sources[0], JSON.stringify(summary.sources[0])).toMatchObject({ fetched: 3, new: 2, tooOld: 1 });
    expect((await d.db.select().from(stories)).length).toBe(2);

    const later = new Date(now.getTime() + 31 * DAY);
    const purge = await runIngestion(deps(d, catalog, { SAMPLE_CONTENT: "off", RETENTION_DAYS: 30 }), { now: later, translator: null });
    expect(purge.purged).toMatchObject({ articles: 2, stories: 2 });
    const [{ n }] = (await d.db.select({ n: sql<number>`count(*)::int` }).from(articles)) as [{ n: number }];
    expect(Number(n)).toBe(0);
  });
});

describe("overlapping runs", () => {
  it("a second run started while one is going does nothing and says why", async () => {
    const d = await freshDb();
    const catalog = [record("fr-le-monde", "Le Monde", "FR", "fr", `${feedServer.url}/le-monde.xml`)];
    const [a, b] = await Promise.all([
      runIngestion(deps(d, catalog, { SAMPLE_CONTENT: "off" }), { now, translator: null }),
      runIngestion(deps(d, catalog, { SAMPLE_CONTENT: "off" }), { now, translator: null }),
    ]);
    expect([a.skipped, b.skipped].filter(Boolean)).toHaveLength(1);
    expect(a.totals.new + b.totals.new).toBe(2);
  });
});

describe("sample and real articles", () => {
  it("are never in one story, even when they report the same event in the same words", async () => {
    const d = await freshDb();
    const event = {
      title: "Bank of Japan raises interest rates for the first time in 17 years",
      summary: "The Bank of Japan ended negative interest rates, raising its policy rate to 0.1 percent.",
      language: "en",
      publishedAt: hoursAgo(3),
    };
    const row = (url: string, country: string, outlet: string, isSample: boolean) => ({
      ...event,
      url,
      originalTitle: event.title,
      country,
      outlet,
      isSample,
    });
    await storeArticles(d.db, [
      row("https://nhk.example/boj", "JP", "NHK", false),
      row("https://asahi.example/boj", "JP", "Asahi", false),
      row("https://sample.example/nhk-boj", "JP", "NHK (sample)", true),
      row("https://sample.example/kbs-boj", "KR", "KBS (sample)", true),
    ]);
    await clusterPendingArticles(d.db, now);
    const rows = await d.db.select({ storyId: articles.storyId, isSample: articles.isSample }).from(articles);
    const kinds = new Map<number, Set<boolean>>();
    for (const r of rows) {
      expect(r.storyId).not.toBeNull();
      kinds.set(r.storyId!, (kinds.get(r.storyId!) ?? new Set()).add(r.isSample));
    }
    // One story of the two real reports, one of the two samples: grouped, but never together.
    expect(kinds.size).toBe(2);
    for (const set of kinds.values()) expect(set.size).toBe(1);
    const sampleStories = await d.db.select({ isSample: stories.isSample }).from(stories);
    expect(sampleStories.map((s) => s.isSample).sort()).toEqual([false, true]);
  });
});
