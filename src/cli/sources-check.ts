// `npm run sources:check`: fetches every feed of the catalog (db/sources.json), a few at a time, through the
// same loadFeed as ingestion, and prints which answer, which parse and how many items each has. For an
// operator who is online: the catalog's addresses cannot be checked from a sandbox.
//   --only <country code | slug>   check a subset        --samples   check the offline sample feeds instead
//   --json                         one JSON object per source instead of the table
import { ConfigError, parseEnv } from "../config";
import { feedUserAgent, loadFeed, type LoadFeedResult } from "../node/feeds";
import { sampleSources } from "../feeds/sample-feeds";
import { readSourceCatalog } from "../feeds/source-catalog";
import type { SourceRecord } from "../feeds/types";

interface Row {
  source: SourceRecord;
  result: LoadFeedResult;
  ms: number;
}

async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function describe({ result }: Row): { answered: string; parsed: string; items: string; note: string } {
  if (result.status === "ok") {
    const newest = Math.max(0, ...result.feed.items.map((i) => i.published.getTime()));
    const age = newest ? `newest ${Math.round((Date.now() - newest) / 3_600_000)} h ago` : "";
    return { answered: "yes", parsed: "yes", items: String(result.feed.items.length), note: [age, ...result.feed.warnings].filter(Boolean).join("; ") };
  }
  if (result.status === "not-modified") return { answered: "yes", parsed: "-", items: "-", note: "304 not modified" };
  const answered = result.code === "parse" ? "yes" : "no";
  return { answered, parsed: "no", items: "-", note: `${result.code}: ${result.error}` };
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const env = parseEnv(process.env);
  const only = option(args, "--only")?.toLowerCase();
  const all = args.includes("--samples") ? sampleSources() : readSourceCatalog();
  const sources = all.filter((s) => !only || s.slug === only || s.country.toLowerCase() === only);
  const userAgent = feedUserAgent((env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""));
  const rows: Row[] = [];
  let done = 0;
  await eachLimited(sources, env.FEED_CONCURRENCY, async (source) => {
    const started = performance.now();
    const result = await loadFeed(
      { url: source.feedUrl, language: source.language },
      { now: new Date(), timeoutMs: env.FEED_TIMEOUT_MS, maxBytes: env.FEED_MAX_BYTES, allowPrivate: env.FEED_ALLOW_PRIVATE, userAgent },
    );
    rows.push({ source, result, ms: Math.round(performance.now() - started) });
    if (process.stderr.isTTY) process.stderr.write(`\r${++done}/${sources.length}`);
  });
  if (process.stderr.isTTY) process.stderr.write("\r");
  rows.sort((a, b) => a.source.country.localeCompare(b.source.country) || a.source.slug.localeCompare(b.source.slug));

  if (args.includes("--json")) {
    for (const row of rows) console.log(JSON.stringify({ slug: row.source.slug, feedUrl: row.source.feedUrl, ms: row.ms, ...describe(row) }));
  } else {
    const table = rows.map((row) => ({ row, d: describe(row) }));
    const width = Math.max(4, ...rows.map((r) => r.source.slug.length));
    console.log(`${"slug".padEnd(width)}  cc  answers  parses  items      ms  note`);
    for (const { row, d } of table) {
      const ref = row.source.isReference ? " (US reference)" : "";
      console.log(
        `${row.source.slug.padEnd(width)}  ${row.source.country}  ${d.answered.padEnd(7)}  ${d.parsed.padEnd(6)}  ${d.items.padStart(5)}  ${String(row.ms).padStart(6)}  ${(d.note + ref).slice(0, 160)}`,
      );
    }
  }
  const ok = rows.filter((r) => r.result.status !== "error").length;
  const answered = rows.filter((r) => describe(r).answered === "yes").length;
  const countries = new Set(rows.filter((r) => r.result.status === "ok" && !r.source.isReference).map((r) => r.source.country));
  console.error(`${rows.length} feeds: ${answered} answered, ${ok} parsed; working foreign feeds cover ${countries.size} countries`);
  return ok === rows.length ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exitCode = 1;
  },
);
