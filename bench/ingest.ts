// Ingestion benchmark: `feeds` feeds × `items` items written to disk, read and parsed by the real feed
// code, stored, clustered and scored by runIngestion; then a second run (everything already stored), and
// the digest's candidate query. Part of `npm run bench` (bench/run.ts); alone:
//   npx tsx bench/ingest.ts            (PGlite in a temp folder)
//   DATABASE_URL=postgres://… npx tsx bench/ingest.ts   (a scratch database is created and dropped)
// Prints timings; asserts nothing. `npm run bench` runs it in a process of its own (benchIngestionInChild).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { connectPostgres, type Database } from "../db/client";
import { openPglite } from "../db/pglite";
import { migrateDatabase } from "../db/migrate";
import { candidateStoriesForAll } from "../db/queries/stories";
import { testConfig } from "../src/config";
import type { Embedder } from "../src/embeddings/embedder";
import { silentLogger } from "../src/log";
import { runIngestion } from "../src/ingest/ingest";
import { nodeIngestDeps } from "../src/node/ingest-deps";
import type { FeedLoader } from "../src/ingest/ingest-source";
import { parseFeedBytes } from "../src/feeds/parse-feed";
import { catalogCountryCodes } from "./catalog-countries";
import { countryName } from "../src/countries";
import type { SourceRecord } from "../src/feeds/types";
import { createPostgresDatabase } from "./databases";

export interface IngestOptions {
  feeds: number;
  items: number;
  /** PostgreSQL server URL (a scratch database is created next to it), or PGlite when absent. */
  baseUrl?: string;
  log?: (line: string) => void;
  /** Semantic embeddings on (what they cost): this model, every article embedded in the first run. */
  embedder?: Embedder;
}

export interface IngestFigures {
  database: "PostgreSQL" | "PGlite";
  feeds: number;
  items: number;
  /** Reading and parsing every feed file, nothing stored (the parse share of the first run). */
  parseMs: number;
  /** The whole first run: parse, normalise, store, group into stories, score. */
  firstRunMs: number;
  firstRun: { articles: number; stories: number; sourcesMs: number; clusterMs: number; purgeMs: number };
  /** A second run finding every item already stored. */
  secondRunMs: number;
  candidateQueryMs: number;
}

const now = new Date("2025-03-18T12:00:00Z");

function mulberry(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

/** A deterministic corpus: every run writes the same feeds. */
function writeCorpus(dir: string, feeds: number, itemsPerFeed: number): SourceRecord[] {
  const rand = mulberry(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const syllables = ["ka", "lo", "mi", "ra", "ten", "vo", "su", "del", "an", "ber", "ko", "zi", "mar", "pu", "nel", "ta", "gor", "shi"];
  const word = () => Array.from({ length: 3 + Math.floor(rand() * 2) }, () => pick(syllables)).join("");
  // Names and rare words (a story's own), and places shared by many stories: the countries events happen
  // in, named as reports name them (a report that names no country reads as its outlet's own news).
  const specific = Array.from({ length: 30_000 }, word);
  const places = catalogCountryCodes.map(countryName);
  const generic = "government minister police court election bank prices protest talks deal storm floods strike company market city council president parliament budget school hospital fire train airport".split(" ");
  // 1,200 events; each article reports one, so many are covered by several outlets.
  const events = Array.from({ length: 1200 }, () => ({ words: [pick(places), ...Array.from({ length: 4 }, () => pick(specific))], topic: pick(generic) }));
  const records: SourceRecord[] = [];
  for (let f = 0; f < feeds; f++) {
    // The last 10 of 150 are US reference outlets (scaled for smaller runs).
    const country = f < Math.round(feeds * (140 / 150)) ? catalogCountryCodes[f % catalogCountryCodes.length]! : "US";
    const items = Array.from({ length: itemsPerFeed }, (_, i) => {
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

async function openDb(baseUrl: string | undefined): Promise<{ database: Database; cleanup: () => Promise<void>; label: IngestFigures["database"] }> {
  if (!baseUrl) {
    const dir = mkdtempSync(join(tmpdir(), "wd-bench-"));
    const database = await openPglite(dir);
    await migrateDatabase(database);
    return { database, label: "PGlite", cleanup: async () => (await database.close(), rmSync(dir, { recursive: true, force: true })) };
  }
  const created = await createPostgresDatabase(baseUrl);
  const database = connectPostgres(created.url);
  return { database, label: "PostgreSQL", cleanup: async () => (await database.close(), await created.drop()) };
}

export async function benchIngestion(options: IngestOptions): Promise<IngestFigures> {
  const say = options.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), "wd-bench-feeds-"));
  const catalog = writeCorpus(dir, options.feeds, options.items);
  const parse = (source: { feedUrl: string; homepage: string }, at: Date) =>
    parseFeedBytes(new Uint8Array(readFileSync(join(dir, source.feedUrl.split("/").pop()!))), "application/rss+xml", { baseUrl: source.homepage, fetchedAt: at, defaultLanguage: "en" });
  const loadFromDisk: FeedLoader = async (source, at) => ({ status: "ok", items: parse(source, at).items, etag: null, lastModified: null });
  const { database, cleanup, label } = await openDb(options.baseUrl);
  try {
    const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => {
      const t = performance.now();
      const result = await fn();
      return [result, Math.round(performance.now() - t)];
    };
    // Warm the parser on one feed (module loading is not ingestion), then time parsing alone.
    parse(catalog[0]!, now);
    const [, parseMs] = await time(() => catalog.forEach((s) => parse(s, now)));
    const config = testConfig({ SAMPLE_CONTENT: "off", ...(options.embedder ? { EMBEDDINGS_PER_RUN: 100_000, EMBEDDINGS_TIMEOUT_MS: 120_000 } : {}) });
    const deps = nodeIngestDeps({ db: database.db, config, log: silentLogger, catalog: () => catalog, loadFeed: loadFromDisk, embedder: options.embedder ?? null });
    const [first, firstRunMs] = await time(() => runIngestion(deps, { now, translator: null }));
    say(`${label}: ${options.feeds} feeds × ${options.items} items: first run ${firstRunMs} ms (${first.totals.new} articles, ${first.clustering.storiesCreated} stories; ${JSON.stringify(first.timings)}), parsing alone ${parseMs} ms`);
    const [second, secondRunMs] = await time(() => runIngestion(deps, { now: new Date(now.getTime() + 1_800_000), translator: null }));
    say(`  second run (all already stored) ${secondRunMs} ms: ${second.totals.new} new, ${second.totals.duplicate} duplicates`);
    const [all, candidateQueryMs] = await time(() => candidateStoriesForAll(database.db, new Date(now.getTime() - 48 * 3_600_000)));
    say(`  candidateStoriesForAll (48 h) ${candidateQueryMs} ms: ${all.length} stories, ${all.reduce((n, s) => n + s.articles.length, 0)} articles`);
    return {
      database: label,
      feeds: options.feeds,
      items: options.items,
      parseMs,
      firstRunMs,
      firstRun: { articles: first.totals.new, stories: first.clustering.storiesCreated, ...first.timings },
      secondRunMs,
      candidateQueryMs,
    };
  } finally {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same, in a process of its own (as `npm run bench` runs it): ingestion is measured in a process that
 * holds nothing else, as a jobs process would, not in one that has just run the bench's other sections.
 */
export async function benchIngestionInChild(options: IngestOptions): Promise<IngestFigures> {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_FEEDS: String(options.feeds), BENCH_ITEMS: String(options.items) };
  delete env.DATABASE_URL;
  if (options.baseUrl) env.DATABASE_URL = options.baseUrl;
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url)], { cwd: fileURLToPath(new URL("..", import.meta.url)), env, stdio: ["ignore", "pipe", "inherit"] });
  let last = "";
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    if (line.startsWith("{")) last = line;
    else options.log?.(line);
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0 || !last) throw new Error(`the ingestion bench's process ended with code ${code}`);
  return JSON.parse(last) as IngestFigures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const baseUrl = process.env.DATABASE_URL;
  // A jobs process ingests every 30 minutes with its code long compiled: warm it on a small corpus of the
  // same kind in a database of its own (not measured), so the figures are ingestion, not V8's first JIT.
  await benchIngestion({ feeds: 10, items: 50, baseUrl });
  const figures = await benchIngestion({
    feeds: Number(process.env.BENCH_FEEDS ?? 150),
    items: Number(process.env.BENCH_ITEMS ?? 50),
    baseUrl,
    log: console.log,
  });
  console.log(JSON.stringify(figures));
}
