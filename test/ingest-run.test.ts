import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { startFeedServer, rss, type FeedServer, type RssItem } from "./helpers/ingest-feed-server";
import { startTranslationServer, type TranslationServer } from "./helpers/translation-server";
import { testConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { runIngestion } from "../src/ingest/ingest";
import { nodeIngestDeps } from "../src/node/ingest-deps";
import { createDeeplTranslator } from "../src/translate/deepl";
import { articles, sources } from "../db/schema";
import { candidateStories, recentStories } from "../db/queries/stories";
import type { SourceRecord } from "../src/feeds/types";

const now = new Date("2025-03-18T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

const dictionary: Record<string, string> = {
  "日銀、17年ぶりに利上げ マイナス金利を解除": "Bank of Japan raises interest rates for the first time in 17 years, ends negative rates",
  "日本銀行は19日、マイナス金利政策の解除を決めた。": "The Bank of Japan decided on the 19th to end its negative interest rate policy.",
  "東京で桜が満開に": "Cherry blossoms in full bloom in Tokyo",
  "Japans Notenbank beendet Negativzinsen": "Japan's central bank ends negative interest rates",
  "Zum ersten Mal seit 17 Jahren erhöht die Bank of Japan ihren Leitzins.": "For the first time in 17 years, the Bank of Japan is raising its key interest rate.",
  "Kenia: Proteste gegen Steuererhöhungen in Nairobi": "Kenya: protests against tax increases in Nairobi",
  "Demonstranten stürmen das Parlament wegen des Finanzgesetzes.": "Protesters storm parliament over the finance bill.",
};

const feeds: Record<string, { record: Omit<SourceRecord, "feedUrl" | "homepage" | "isSample">; items: RssItem[]; status?: number; raw?: string }> = {
  "/nhk.xml": {
    record: { slug: "jp-nhk", name: "NHK", country: "JP", language: "ja", isReference: false },
    items: [
      { title: "日銀、17年ぶりに利上げ マイナス金利を解除", description: "日本銀行は19日、マイナス金利政策の解除を決めた。", link: "https://nhk.example/news/boj?utm_source=rss", pubDate: hoursAgo(10), guid: "nhk-1" },
      { title: "東京で桜が満開に", link: "https://nhk.example/news/sakura", pubDate: hoursAgo(9), guid: "nhk-2" },
    ],
  },
  "/yonhap.xml": {
    record: { slug: "kr-yonhap", name: "Yonhap", country: "KR", language: "en", isReference: false },
    items: [
      { title: "Japan's central bank ends negative interest rates after 17 years", description: "The Bank of Japan raised its key rate for the first time in 17 years.", link: "https://yonhap.example/boj", pubDate: hoursAgo(8) },
      { title: "Seoul subway fares to rise in June", description: "The city will raise basic subway fares by 150 won.", link: "https://yonhap.example/subway", pubDate: hoursAgo(7) },
    ],
  },
  "/spiegel.xml": {
    record: { slug: "de-spiegel", name: "Der Spiegel", country: "DE", language: "de", isReference: false },
    items: [
      { title: "Japans Notenbank beendet Negativzinsen", description: "Zum ersten Mal seit 17 Jahren erhöht die Bank of Japan ihren Leitzins.", link: "https://spiegel.example/boj", pubDate: hoursAgo(6) },
      { title: "Kenia: Proteste gegen Steuererhöhungen in Nairobi", description: "Demonstranten stürmen das Parlament wegen des Finanzgesetzes.", link: "https://spiegel.example/kenia", pubDate: hoursAgo(5) },
    ],
  },
  "/nation.xml": {
    record: { slug: "ke-nation", name: "Daily Nation", country: "KE", language: "en", isReference: false },
    items: [
      { title: "Protesters storm parliament in Nairobi over tax increases in finance bill", description: "Police fired on demonstrators after MPs passed the finance bill.", link: "https://nation.example/protests", pubDate: hoursAgo(6) },
    ],
  },
  "/uswire.xml": {
    record: { slug: "us-wire", name: "US Wire", country: "US", language: "en", isReference: true },
    items: [
      { title: "Kenya protesters storm parliament over finance bill tax increases", description: "Police in Nairobi fired on crowds.", link: "https://uswire.example/kenya", pubDate: hoursAgo(4) },
    ],
  },
  "/usdaily.xml": {
    record: { slug: "us-daily", name: "US Daily", country: "US", language: "en", isReference: true },
    items: [{ title: "Stocks close higher on tech rally", description: "The S&P 500 rose 1 percent.", link: "https://usdaily.example/stocks", pubDate: hoursAgo(3) }],
  },
  "/broken-500.xml": {
    record: { slug: "fr-broken", name: "Broken 500", country: "FR", language: "fr", isReference: false },
    items: [],
    status: 500,
  },
  "/not-xml.xml": {
    record: { slug: "it-garbage", name: "Not XML", country: "IT", language: "it", isReference: false },
    items: [],
    raw: "<html><body>This is a web page, not a feed</body></html>",
  },
};

let database: TestDatabase;
let feedServer: FeedServer;
let translation: TranslationServer;
let catalog: SourceRecord[];

beforeAll(async () => {
  database = await createTestDatabase();
  feedServer = await startFeedServer();
  translation = await startTranslationServer({ deeplKey: "k", dictionary });
  for (const [path, f] of Object.entries(feeds)) {
    feedServer.feeds.set(path, f.status ? { status: f.status, body: "boom" } : { body: f.raw ?? rss(f.record.name, f.record.language, f.items) });
  }
  catalog = Object.entries(feeds).map(([path, f]) => ({ ...f.record, feedUrl: `${feedServer.url}${path}`, homepage: "https://example.org/", isSample: false }));
});
afterAll(async () => {
  await feedServer.close();
  await translation.close();
  await database.drop();
});

const deps = () =>
  nodeIngestDeps({
    db: database.db,
    config: testConfig({ FEED_ALLOW_PRIVATE: true, SAMPLE_CONTENT: "off", FEED_CONCURRENCY: 3, FEED_TIMEOUT_MS: 20_000 }),
    log: silentLogger,
    catalog: () => catalog,
  });
const translator = () => createDeeplTranslator({ apiKey: "k", baseUrl: translation.url, sleep: async () => {} });

describe("an ingestion run over feeds served on localhost", () => {
  it("fetches every source, keeps going past broken feeds, and counts per source", async () => {
    const summary = await runIngestion(deps(), { now, translator: translator() });
    const by = Object.fromEntries(summary.sources.map((s) => [s.slug, s]));
    expect(summary.sourcesAdded).toBe(8);
    expect(by["jp-nhk"]).toMatchObject({ status: "ok", fetched: 2, new: 2, duplicate: 0 });
    expect(by["ke-nation"]).toMatchObject({ status: "ok", fetched: 1, new: 1 });
    expect(by["fr-broken"]).toMatchObject({ status: "error", new: 0 });
    expect(by["fr-broken"]!.error).toContain("500");
    expect(by["it-garbage"]).toMatchObject({ status: "error" });
    expect(summary.totals).toMatchObject({ sources: 8, new: 9, errors: 2 });
    expect(summary.translation).toMatchObject({ translator: "deepl", failures: 0, stoppedBecause: null });
  });

  it("keeps each broken feed's error on its source row and backs it off", async () => {
    const [row] = await database.db.select().from(sources).where(eq(sources.slug, "fr-broken"));
    expect(row!.lastError).toContain("500");
    expect(row!.consecutiveFailures).toBe(1);
    expect(row!.nextFetchAt!.getTime()).toBe(now.getTime() + 15 * 60_000);
    const [ok] = await database.db.select().from(sources).where(eq(sources.slug, "jp-nhk"));
    expect(ok!.lastSuccessAt!.getTime()).toBe(now.getTime());
    expect(ok!.etag).toMatch(/^"/);
    expect(ok!.lastError).toBeNull();
  });

  it("stores English text, keeps the original title, and canonicalises links", async () => {
    const [boj] = await database.db.select().from(articles).where(eq(articles.url, "https://nhk.example/news/boj"));
    expect(boj).toMatchObject({
      title: "Bank of Japan raises interest rates for the first time in 17 years, ends negative rates",
      originalTitle: "日銀、17年ぶりに利上げ マイナス金利を解除",
      summary: "The Bank of Japan decided on the 19th to end its negative interest rate policy.",
      language: "ja",
      translated: true,
      untranslated: false,
      country: "JP",
      outlet: "NHK",
    });
    const [english] = await database.db.select().from(articles).where(eq(articles.url, "https://yonhap.example/boj"));
    expect(english).toMatchObject({ translated: false, untranslated: false, originalTitle: english!.title });
  });

  it("groups the same event from three countries into one overlooked story, with the reason", async () => {
    const stories = await recentStories(database.db, hoursAgo(48), 50);
    const boj = stories.find((s) => s.articles.some((a) => a.url === "https://nhk.example/news/boj"))!;
    expect(boj.articles.map((a) => a.outlet).sort()).toEqual(["Der Spiegel", "NHK", "Yonhap"]);
    expect(boj).toMatchObject({ outletCount: 3, countryCount: 3, usOutletCount: 0 });
    expect(boj.overlookedReason).toBe("Covered by 3 outlets in 3 countries; none of the 2 US outlets we track.");
  });

  it("sees US coverage of a foreign story and says so", async () => {
    const stories = await recentStories(database.db, hoursAgo(48), 50);
    const kenya = stories.find((s) => s.articles.some((a) => a.url === "https://nation.example/protests"))!;
    expect(kenya.articles.map((a) => a.outlet).sort()).toEqual(["Daily Nation", "Der Spiegel", "US Wire"]);
    expect(kenya).toMatchObject({ outletCount: 2, countryCount: 2, usOutletCount: 1 });
    expect(kenya.overlookedReason).toBe("Covered by 2 outlets in 2 countries. Also covered by US Wire.");
    const boj = stories.find((s) => s.articles.some((a) => a.url === "https://nhk.example/news/boj"))!;
    expect(boj.overlookedScore).toBeGreaterThan(kenya.overlookedScore);
  });

  it("keeps unrelated same-day articles in stories of their own", async () => {
    const stories = await recentStories(database.db, hoursAgo(48), 50);
    const of = (url: string) => stories.find((s) => s.articles.some((a) => a.url === url))!;
    for (const url of ["https://nhk.example/news/sakura", "https://yonhap.example/subway", "https://usdaily.example/stocks"]) {
      expect(of(url).articles).toHaveLength(1);
    }
  });

  it("offers the digest only stories with foreign articles from the asked countries, without US articles", async () => {
    const forKenya = await candidateStories(database.db, { countries: ["KE"], since: hoursAgo(24) });
    expect(forKenya).toHaveLength(1);
    expect(forKenya[0]!.articles.map((a) => a.country).sort()).toEqual(["DE", "KE"]);
    const forUsOnly = await candidateStories(database.db, { countries: ["US"], since: hoursAgo(24) });
    expect(forUsOnly).toEqual([]);
  });

  it("on the next run asks with the ETag, gets 304s, skips backed-off sources and adds nothing", async () => {
    const before = feedServer.hits.get("/broken-500.xml")!.total;
    const summary = await runIngestion(deps(), { now: new Date(now.getTime() + 60_000), translator: translator() });
    expect(summary.totals.new).toBe(0);
    expect(summary.sources.find((s) => s.slug === "jp-nhk")!.status).toBe("not-modified");
    expect(feedServer.hits.get("/nhk.xml")!.notModified).toBe(1);
    expect(summary.sources.some((s) => s.slug === "fr-broken")).toBe(false);
    expect(feedServer.hits.get("/broken-500.xml")!.total).toBe(before);
  });

  it("adds a new article to the story it belongs to, and rescoring counts the new outlet", async () => {
    const items = [
      ...feeds["/nation.xml"]!.items,
      { title: "Bank of Japan ends negative interest rates, raising rates for the first time in 17 years", description: "Kenyan shilling steady after the BOJ decision.", link: "https://nation.example/boj", pubDate: hoursAgo(1) },
    ];
    feedServer.feeds.set("/nation.xml", { body: rss("Daily Nation", "en", items) });
    const summary = await runIngestion(deps(), { now: new Date(now.getTime() + 120_000), translator: translator() });
    expect(summary.sources.find((s) => s.slug === "ke-nation")).toMatchObject({ new: 1, duplicate: 1 });
    expect(summary.clustering).toMatchObject({ articlesPlaced: 1, storiesCreated: 0, storiesUpdated: 1 });
    const stories = await recentStories(database.db, hoursAgo(48), 50);
    const boj = stories.find((s) => s.articles.some((a) => a.url === "https://nation.example/boj"))!;
    expect(boj).toMatchObject({ outletCount: 4, countryCount: 4 });
    expect(boj.overlookedReason).toBe("Covered by 4 outlets in 4 countries; none of the 2 US outlets we track.");
  });

  it("never translates an article twice", async () => {
    const texts = translation.requests.flatMap((r) => r.body.text as string[]);
    expect(texts.filter((t) => t === "東京で桜が満開に")).toHaveLength(1);
  });
});
