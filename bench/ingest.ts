// Ingestion benchmark: 150 feeds × 50 items written to disk, read and parsed by the real feed code,
// stored, clustered and scored by runIngestion; then a second run (everything already stored), and the
// digest's candidate query. `npx tsx bench/ingest.ts` (PGlite in a temp folder), or with DATABASE_URL
// (a scratch database is created and dropped). Prints timings; asserts nothing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { connectPostgres, type Database } from "../db/client";
import { openPglite } from "../db/pglite";
import { migrateDatabase } from "../db/migrate";
import { candidateStories, candidateStoriesForAll } from "../db/queries/stories";
import { testConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { runIngestion } from "../src/ingest/ingest";
import { nodeIngestDeps } from "../src/node/ingest-deps";
import type { FeedLoader } from "../src/ingest/ingest-source";
import { parseFeedBytes } from "../src/feeds/parse-feed";
import { countries } from "../src/countries";
import type { SourceRecord } from "../src/feeds/types";

const FEEDS = 150;
const ITEMS = 50;
const now = new Date("2025-03-18T12:00:00Z");

// A deterministic pseudo-random generator, so every run writes the same corpus.
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0; // mulberry32
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
const syllables = ["ka", "lo", "mi", "ra", "ten", "vo", "su", "del", "an", "ber", "ko", "zi", "mar", "pu", "nel", "ta", "gor", "shi"];
const word = () => Array.from({ length: 3 + Math.floor(rand() * 2) }, () => pick(syllables)).join("");
/** Names and rare words (a story's own), and places shared by many stories. */
const specific = Array.from({ length: 30_000 }, word);
const places = Array.from({ length: 60 }, word);
const generic = "government minister police court election bank prices protest talks deal storm floods strike company market city council president parliament budget school hospital fire train airport".split(" ");

// 1,200 events; each article reports one, so many are covered by several outlets.
const events = Array.from({ length: 1200 }, () => ({ words: [pick(places), ...Array.from({ length: 4 }, () => pick(specific))], topic: pick(generic) }));

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
function writeCorpus(dir: string): SourceRecord[] {
  const records: SourceRecord[] = [];
  for (let f = 0; f < FEEDS; f++) {
    const country = f < 140 ? countries[f % countries.length]!.code : "US";
    const items = Array.from({ length: ITEMS }, (_, i) => {
      const e = pick(events);
      const title = [...e.words.slice(0, 3 + Math.floor(rand() * 2)).sort(() => rand() - 0.5), e.topic, pick(generic)].join(" ");
      const summary = [...e.words.slice(1), pick(specific), pick(generic), pick(specific), e.topic].join(" ");
      const date = new Date(now.getTime() - rand() * 48 * 3_600_000).toUTCString();
      return `<item><title>${esc(title)}</title><link>https://outlet${f}.example/a/${i}?utm_source=rss</link><description>${esc(summary)}</description><pubDate>${date}</pubDate><guid>o${f}-${i}</guid></item>`;
    });
    writeFileSync(join(dir, `feed-${f}.xml`), `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Outlet ${f}</title><language>en</language>${items.join("")}</channel></rss>`);
    records.push({ slug: `bench-${f}`, name: `Outlet ${f}`, country, homepage: `https://outlet${f}.example/`, feedUrl: `https://outlet${f}.example/feed-${f}.xml`, language: "en", isReference: country === "US", isSample: false });
  }
  return records;
}

async function openDb(): Promise<{ database: Database; cleanup: () => Promise<void>; label: string }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dir = mkdtempSync(join(tmpdir(), "wd-bench-"));
    const database = await openPglite(dir);
    await migrateDatabase(database);
    return { database, label: "PGlite (on disk)", cleanup: async () => (await database.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const name = `wd_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = connectPostgres(url.toString());
  await migrateDatabase(database, url.toString());
  return {
    database,
    label: "PostgreSQL",
    cleanup: async () => {
      await database.close();
      await admin.unsafe(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "wd-bench-feeds-"));
const catalog = writeCorpus(dir);
const loadFromDisk: FeedLoader = async (source, at) => {
  const file = join(dir, source.feedUrl.split("/").pop()!);
  const feed = parseFeedBytes(new Uint8Array(readFileSync(file)), "application/rss+xml", { baseUrl: source.homepage, fetchedAt: at, defaultLanguage: "en" });
  return { status: "ok", items: feed.items, etag: null, lastModified: null };
};

const { database, cleanup, label } = await openDb();
const deps = nodeIngestDeps({ db: database.db, config: testConfig({ SAMPLE_CONTENT: "off" }), log: silentLogger, catalog: () => catalog, loadFeed: loadFromDisk });
const time = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  const t = performance.now();
  const result = await fn();
  console.log(`${what}: ${(performance.now() - t).toFixed(0)} ms`);
  return result;
};

console.log(`${label}: ${FEEDS} feeds × ${ITEMS} items from disk`);
const first = await time("first run (parse, store, cluster, score)", () => runIngestion(deps, { now, translator: null }));
console.log(`  ${first.totals.new} articles, ${first.clustering.storiesCreated} stories; ${JSON.stringify(first.timings)}`);
const second = await time("second run (all already stored)", () => runIngestion(deps, { now: new Date(now.getTime() + 1_800_000), translator: null }));
console.log(`  ${second.totals.new} new, ${second.totals.duplicate} duplicates; ${JSON.stringify(second.timings)}`);
const all = await time("candidateStoriesForAll (48 h)", () => candidateStoriesForAll(database.db, new Date(now.getTime() - 48 * 3_600_000)));
console.log(`  ${all.length} stories, ${all.reduce((n, s) => n + s.articles.length, 0)} articles`);
await time("candidateStories for 3 countries (24 h)", () => candidateStories(database.db, { countries: ["JP", "BR", "SK"], since: new Date(now.getTime() - 24 * 3_600_000) }));
await cleanup();
rmSync(dir, { recursive: true, force: true });
