// How articles enter the database during ingestion: the stored-key lookup made before translating, and
// the insert that records the feed's fetch state in the same statement.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { findStoredKeys, type NewArticle } from "../db/queries/articles";
import { fetchSuccessUpdate, insertMissingSources } from "../db/queries/sources";
import { articles, sources } from "../db/schema";
import { storeArticles } from "../src/ingest/store-articles";
import { ingestSource } from "../src/ingest/ingest-source";
import { startTranslationRun } from "../src/ingest/translate-items";
import { parseFeed } from "../src/feeds/parse-feed";
import { silentLogger } from "../src/log";

const now = new Date("2025-03-18T12:00:00Z");
let database: TestDatabase;
let [one, two] = [0, 0];

const article = (sourceId: number, url: string, guid: string | null): NewArticle => ({
  sourceId,
  url,
  guid,
  title: `Title of ${url}`,
  originalTitle: `Title of ${url}`,
  language: "en",
  country: "JP",
  outlet: `Outlet ${sourceId}`,
  publishedAt: now,
  fetchedAt: now,
});

beforeAll(async () => {
  database = await createTestDatabase();
  const feed = (slug: string) => ({ slug, name: slug, country: "JP", homepage: `https://${slug}.example/`, feedUrl: `https://${slug}.example/feed`, language: "en" });
  await insertMissingSources(database.db, [feed("one"), feed("two")]);
  const ids = await database.db.select({ id: sources.id, slug: sources.slug }).from(sources);
  const idOf = (slug: string) => ids.find((r) => r.slug === slug)!.id;
  [one, two] = [idOf("one"), idOf("two")];
  await storeArticles(database.db, [article(one, "https://one.example/a", "g-a"), article(one, "https://one.example/b", null), article(two, "https://two.example/c", "g-c")]);
});
afterAll(() => database.drop());

describe("finding stored articles before translating", () => {
  it("finds URLs from any source and guids only within the asking source, in one lookup", async () => {
    const found = await findStoredKeys(database.db, {
      urls: ["https://one.example/a", "https://two.example/c", "https://one.example/new"],
      sourceId: one,
      guids: ["g-a", "g-c", "g-new"],
    });
    expect([...found.urls].sort()).toEqual(["https://one.example/a", "https://two.example/c"]);
    expect([...found.guids]).toEqual(["g-a"]);
  });

  it("finds a guid whose article moved to another URL, and nothing when asked nothing", async () => {
    const moved = await findStoredKeys(database.db, { urls: ["https://one.example/a-moved"], sourceId: one, guids: ["g-a"] });
    expect([...moved.urls]).toEqual([]);
    expect([...moved.guids]).toEqual(["g-a"]);
    const none = await findStoredKeys(database.db, { urls: [], sourceId: one, guids: [] });
    expect([none.urls.size, none.guids.size]).toEqual([0, 0]);
    const noSource = await findStoredKeys(database.db, { urls: ["https://one.example/b"], sourceId: null, guids: ["g-a"] });
    expect([[...noSource.urls], [...noSource.guids]]).toEqual([["https://one.example/b"], []]);
  });
});

describe("storing a feed's articles with its fetch state", () => {
  const state = async (id: number) => (await database.db.select().from(sources).where(eq(sources.id, id)))[0]!;

  it("inserts only what is new (by URL, or by guid within the source) and records the fetch in the same statement", async () => {
    const result = await storeArticles(
      database.db,
      [article(two, "https://two.example/c", "g-other"), article(two, "https://two.example/c-moved", "g-c"), article(two, "https://two.example/d", "g-d")],
      fetchSuccessUpdate(database.db, two, { etag: '"v2"', lastModified: null }, now),
    );
    expect([...result.created.keys()]).toEqual(["https://two.example/d"]);
    const source = await state(two);
    expect([source.etag, source.lastSuccessAt?.toISOString(), source.consecutiveFailures]).toEqual(['"v2"', now.toISOString(), 0]);
  });

  it("records the fetch even when the feed has nothing new", async () => {
    const later = new Date(now.getTime() + 60_000);
    const result = await storeArticles(database.db, [], fetchSuccessUpdate(database.db, one, { etag: '"v3"' }, later));
    expect(result.created.size).toBe(0);
    expect((await state(one)).lastSuccessAt?.toISOString()).toBe(later.toISOString());
    expect(await database.db.$count(articles)).toBe(4);
  });
});

describe("a title the outlet did not write", () => {
  it("is stored marked as derived; the outlet's titles and pushed-style rows are not", async () => {
    const source = (await database.db.select().from(sources).where(eq(sources.id, one)))[0]!;
    const xml = `<rss version="2.0"><channel><title>One</title><link>https://one.example/</link>
      <item><link>https://one.example/untitled</link><description>Ferries stopped at noon. Storm on the coast.</description><pubDate>${now.toUTCString()}</pubDate></item>
      <item><title>Titled</title><link>https://one.example/titled</link><pubDate>${now.toUTCString()}</pubDate></item></channel></rss>`;
    const feed = parseFeed(xml, { baseUrl: "https://one.example/feed", fetchedAt: now, defaultLanguage: "en" });
    const outcome = await ingestSource(
      { db: database.db, log: silentLogger, now, keepSince: new Date(now.getTime() - 86_400_000), translation: startTranslationRun(null), load: async () => ({ status: "ok", items: feed.items, etag: null, lastModified: null }) },
      source,
    );
    expect(outcome.new).toBe(2);
    const rows = await database.db.select({ url: articles.url, title: articles.title, originalTitle: articles.originalTitle, summary: articles.summary, titleDerived: articles.titleDerived }).from(articles);
    expect(rows.find((r) => r.url === "https://one.example/untitled")).toEqual({
      url: "https://one.example/untitled",
      title: "Ferries stopped at noon.",
      originalTitle: "Ferries stopped at noon.",
      summary: "Ferries stopped at noon. Storm on the coast.",
      titleDerived: true,
    });
    expect(rows.filter((r) => r.titleDerived).map((r) => r.url)).toEqual(["https://one.example/untitled"]);
  });
});
