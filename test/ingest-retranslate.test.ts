import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { startFeedServer, rss, type FeedServer } from "./helpers/ingest-feed-server";
import { startTranslationServer, type TranslationServer } from "./helpers/translation-server";
import { testConfig, parseEnv, type Config } from "../src/config";
import { createLogger, silentLogger, type Logger } from "../src/log";
import { runIngestion } from "../src/ingest/ingest";
import { nodeIngestDeps } from "../src/node/ingest-deps";
import { createDeeplTranslator } from "../src/translate/deepl";
import type { Translator } from "../src/translate/translator";
import { articles } from "../db/schema";
import type { SourceRecord } from "../src/feeds/types";

const now = new Date("2025-03-18T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
const minutesLater = (m: number) => new Date(now.getTime() + m * 60_000);

const dictionary: Record<string, string> = {
  "日銀、17年ぶりに利上げ マイナス金利を解除": "Bank of Japan raises interest rates for the first time in 17 years, ends negative rates",
  "日本銀行は19日、マイナス金利政策の解除を決めた。": "The Bank of Japan decided on the 19th to end its negative interest rate policy.",
  "Japans Notenbank beendet Negativzinsen": "Japan's central bank ends negative interest rates",
  "Zum ersten Mal seit 17 Jahren erhöht die Bank of Japan ihren Leitzins.": "For the first time in 17 years, the Bank of Japan is raising its key interest rate.",
  "Kenia: Proteste gegen Steuererhöhungen in der Hauptstadt": "Kenya: protests against tax increases in Nairobi",
  "Demonstranten stürmen das Parlament wegen des Finanzgesetzes.": "Protesters storm parliament over the finance bill.",
};

const URL = {
  bojJa: "https://nhk.example/boj",
  kenyaDe: "https://spiegel.example/kenia",
  bojDe: "https://spiegel.example/boj",
  oldDe: "https://spiegel.example/alt",
  kenyaEn: "https://nation.example/protests",
};

let feedServer: FeedServer;
let translation: TranslationServer;
let catalog: SourceRecord[];
const opened: TestDatabase[] = [];

beforeAll(async () => {
  feedServer = await startFeedServer();
  translation = await startTranslationServer({ deeplKey: "k", dictionary });
  feedServer.feeds.set("/nhk.xml", {
    body: rss("NHK", "ja", [
      { title: "日銀、17年ぶりに利上げ マイナス金利を解除", description: "日本銀行は19日、マイナス金利政策の解除を決めた。", link: URL.bojJa, pubDate: hoursAgo(10) },
    ]),
  });
  feedServer.feeds.set("/spiegel.xml", {
    body: rss("Der Spiegel", "de", [
      { title: "Kenia: Proteste gegen Steuererhöhungen in der Hauptstadt", description: "Demonstranten stürmen das Parlament wegen des Finanzgesetzes.", link: URL.kenyaDe, pubDate: hoursAgo(5) },
      { title: "Japans Notenbank beendet Negativzinsen", description: "Zum ersten Mal seit 17 Jahren erhöht die Bank of Japan ihren Leitzins.", link: URL.bojDe, pubDate: hoursAgo(6) },
      // Past the grouping window: it can join no story any more, so it is not worth a paid translation.
      { title: "Landtag in Sachsen gewählt", description: "Die Wahlbeteiligung lag bei 74 Prozent.", link: URL.oldDe, pubDate: hoursAgo(60) },
    ]),
  });
  feedServer.feeds.set("/nation.xml", {
    body: rss("Daily Nation", "en", [
      { title: "Protesters storm parliament in Nairobi over tax increases in finance bill", description: "Police fired on demonstrators after MPs passed the finance bill.", link: URL.kenyaEn, pubDate: hoursAgo(6) },
    ]),
  });
  // In this order (ids, then fetched one at a time): NHK is translated before Der Spiegel.
  catalog = [
    { slug: "jp-nhk", name: "NHK", country: "JP", language: "ja", isReference: false },
    { slug: "de-spiegel", name: "Der Spiegel", country: "DE", language: "de", isReference: false },
    { slug: "ke-nation", name: "Daily Nation", country: "KE", language: "en", isReference: false },
  ].map((r) => ({ ...r, feedUrl: `${feedServer.url}/${r.slug.slice(3)}.xml`, homepage: "https://example.org/", isSample: false }));
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

const deps = (d: TestDatabase, config: Partial<Config> = {}, log: Logger = silentLogger) =>
  nodeIngestDeps({
    db: d.db,
    config: testConfig({ FEED_ALLOW_PRIVATE: true, SAMPLE_CONTENT: "off", FEED_CONCURRENCY: 1, FEED_TIMEOUT_MS: 20_000, ...config }),
    log,
    catalog: () => catalog,
  });
const deepl = () => createDeeplTranslator({ apiKey: "k", baseUrl: translation.url, sleep: async () => {} });
const QUOTA = { status: 456, body: { message: "Quota for this billing period has been exceeded" } };

/** DeepL whose account runs out after `calls` requests: from then on the (local) service answers 456. */
function quotaAfter(calls: number): Translator {
  const real = deepl();
  let made = 0;
  return {
    name: real.name,
    translate(texts, lang) {
      if (++made > calls) translation.script.push(QUOTA);
      return real.translate(texts, lang);
    },
  };
}

const byUrl = async (d: TestDatabase, url: string) => (await d.db.select().from(articles).where(eq(articles.url, url)))[0]!;

describe("articles left untranslated by a quota stop", () => {
  it("are translated on the next run, from the original text, and grouped with the story they belong to", async () => {
    const d = await freshDb();
    translation.requests.length = 0;
    const first = await runIngestion(deps(d), { now, translator: quotaAfter(1) });
    expect(first.translation.stoppedBecause).toContain("quota");
    expect(first.translation.retranslated).toBe(0);
    expect(await byUrl(d, URL.bojJa)).toMatchObject({ translated: true, untranslated: false });
    const kenyaBefore = await byUrl(d, URL.kenyaDe);
    expect(kenyaBefore).toMatchObject({ title: "Kenia: Proteste gegen Steuererhöhungen in der Hauptstadt", translated: false, untranslated: true });
    expect(kenyaBefore.storyId).not.toBeNull();
    expect(kenyaBefore.storyId).not.toBe((await byUrl(d, URL.kenyaEn)).storyId);

    const lines: string[] = [];
    translation.requests.length = 0;
    const second = await runIngestion(deps(d, {}, createLogger("info", (l) => lines.push(l))), { now: minutesLater(30), translator: deepl() });
    expect(second.totals.new).toBe(0);
    expect(second.translation).toMatchObject({ translator: "deepl", retranslated: 2, failures: 0, stoppedBecause: null });
    // One request for the one language, the original titles and summaries in it.
    expect(translation.requests).toHaveLength(1);
    expect(translation.requests[0]!.body).toMatchObject({ source_lang: "DE" });
    expect(translation.requests[0]!.body.text).toContain("Kenia: Proteste gegen Steuererhöhungen in der Hauptstadt");

    const kenya = await byUrl(d, URL.kenyaDe);
    expect(kenya).toMatchObject({
      title: "Kenya: protests against tax increases in Nairobi",
      summary: "Protesters storm parliament over the finance bill.",
      originalTitle: "Kenia: Proteste gegen Steuererhöhungen in der Hauptstadt",
      translated: true,
      untranslated: false,
    });
    expect(kenya.storyId).toBe((await byUrl(d, URL.kenyaEn)).storyId);
    const boj = await byUrl(d, URL.bojDe);
    expect(boj).toMatchObject({ title: "Japan's central bank ends negative interest rates", translated: true, untranslated: false });
    expect(boj.storyId).toBe((await byUrl(d, URL.bojJa)).storyId);
    expect(await byUrl(d, URL.oldDe)).toMatchObject({ title: "Landtag in Sachsen gewählt", untranslated: true });

    const finished = lines.map((l) => JSON.parse(l) as { msg: string; translation?: unknown }).find((l) => l.msg === "ingestion finished")!;
    expect(finished.translation).toMatchObject({ retranslated: 2 });

    // Nothing is left to translate: the next run asks the translator nothing.
    translation.requests.length = 0;
    const third = await runIngestion(deps(d), { now: minutesLater(60), translator: deepl() });
    expect(third.translation.retranslated).toBe(0);
    expect(translation.requests).toHaveLength(0);
  });

  it("are bounded by RETRANSLATE_PER_RUN (newest first), never taken up at 0, and a failing or stopped translator leaves the run going", async () => {
    const d = await freshDb();
    translation.requests.length = 0;
    const first = await runIngestion(deps(d), { now, translator: quotaAfter(0) });
    expect(first.translation.stoppedBecause).toContain("quota");
    expect((await d.db.select().from(articles).where(eq(articles.untranslated, true))).length).toBe(4);

    translation.requests.length = 0;
    const off = await runIngestion(deps(d, { RETRANSLATE_PER_RUN: 0 }), { now: minutesLater(10), translator: deepl() });
    expect(off.translation.retranslated).toBe(0);
    expect(translation.requests).toHaveLength(0);

    const one = await runIngestion(deps(d, { RETRANSLATE_PER_RUN: 1 }), { now: minutesLater(20), translator: deepl() });
    expect(one.translation.retranslated).toBe(1);
    expect(translation.requests).toHaveLength(1);
    expect(await byUrl(d, URL.kenyaDe)).toMatchObject({ translated: true, untranslated: false });
    expect(await byUrl(d, URL.bojDe)).toMatchObject({ untranslated: true });

    // A refused request (403) fails that language only; the run ends normally and the other one is translated.
    translation.requests.length = 0;
    translation.script.push({ status: 403, body: { message: "Wrong endpoint or authorization key" } });
    const failing = await runIngestion(deps(d), { now: minutesLater(30), translator: deepl() });
    expect(failing.translation).toMatchObject({ failures: 1, stoppedBecause: null, retranslated: 1 });
    expect(translation.requests).toHaveLength(2);
    expect(await byUrl(d, URL.bojDe)).toMatchObject({ untranslated: true });
    expect(await byUrl(d, URL.bojJa)).toMatchObject({ translated: true, untranslated: false });

    // A quota stop while translating them stops for this run; the article waits for the next.
    translation.requests.length = 0;
    translation.script.push(QUOTA);
    const stopped = await runIngestion(deps(d), { now: minutesLater(40), translator: deepl() });
    expect(stopped.translation).toMatchObject({ retranslated: 0 });
    expect(stopped.translation.stoppedBecause).toContain("quota");
    expect(await byUrl(d, URL.bojDe)).toMatchObject({ untranslated: true });

    const last = await runIngestion(deps(d), { now: minutesLater(50), translator: deepl() });
    expect(last.translation.retranslated).toBe(1);
    expect(await byUrl(d, URL.bojDe)).toMatchObject({ title: "Japan's central bank ends negative interest rates", untranslated: false });
    expect((await byUrl(d, URL.bojDe)).storyId).toBe((await byUrl(d, URL.bojJa)).storyId);
    // Only the article past the grouping window is left as it was.
    const left = await d.db.select({ url: articles.url }).from(articles).where(eq(articles.untranslated, true));
    expect(left.map((r) => r.url)).toEqual([URL.oldDe]);
  });

  it("RETRANSLATE_PER_RUN is checked at start-up, naming it", () => {
    expect(parseEnv({}).RETRANSLATE_PER_RUN).toBe(200);
    expect(parseEnv({ RETRANSLATE_PER_RUN: "0" }).RETRANSLATE_PER_RUN).toBe(0);
    expect(() => parseEnv({ RETRANSLATE_PER_RUN: "-1" })).toThrow(/RETRANSLATE_PER_RUN: expects a whole number from 0 to 10000/);
    expect(() => parseEnv({ RETRANSLATE_PER_RUN: "lots" })).toThrow(/RETRANSLATE_PER_RUN/);
  });
});
