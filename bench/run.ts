// `npm run bench`: the whole benchmark of issue 6 — the morning run on PostgreSQL (100,000 subscribers by
// default) and on PGlite (10,000), the same run with naive rendering on a sample, ingestion from disk,
// and the web endpoints under autocannon. Prints a table and writes bench/results/<date>.json.
//
//   npm run bench                                  everything (a few minutes)
//   npm run bench -- --subscribers 20000           a smaller PostgreSQL morning
//   npm run bench -- --only morning,web            some sections (morning, pglite, render, ingest, web,
//                                                  web-morning: the web while separate processes send;
//                                                  --web-morning-nice N: their niceness, 10 by default)
//   npm run bench -- --workers 1                   one sending process instead of two
//   npm run bench -- --cpu-prof bench/profiles     V8 CPU profiles of the sending processes
//   npm run bench -- --heap-prof bench/profiles    what the sending processes' ticks allocate (sampled);
//        --heap-prof-survivors: only what outlives a young-generation GC (what fills the old generation);
//        --heap-snapshot-at 3000,6000: heap snapshots (live objects) that many ms into the tick, same folder
//   npm run bench -- --worker-flags="--max-old-space-size=160"   Node options for the sending processes
//   npm run bench -- --smoke --out /tmp/x          seconds, tiny sizes (test/bench-smoke.test.ts)
// PostgreSQL: BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres
// (a fresh database is created and dropped). The smoke run uses PostgreSQL only when one of those is set.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { DEFAULT_POSTGRES_URL } from "./databases";
import { benchIngestionInChild, type IngestFigures } from "./ingest";
import { benchRendering, type RenderFigures } from "./render-only";
import { benchMorning, type MorningFigures } from "./morning";
import { machine, markdownTable, targetsOf, type BenchResult } from "./report";
import { benchWeb, type EndpointFigures } from "./web";
import { benchWebDuringMorning, type WebDuringMorningFigures } from "./web-during-morning";

const SECTIONS = ["morning", "pglite", "render", "ingest", "web", "web-morning"] as const;
type Section = (typeof SECTIONS)[number];

const { values: args } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    subscribers: { type: "string" },
    "pglite-subscribers": { type: "string" },
    "naive-sample": { type: "string" },
    workers: { type: "string" },
    feeds: { type: "string" },
    items: { type: "string" },
    connections: { type: "string" },
    "web-seconds": { type: "string" },
    "web-morning-rate": { type: "string" },
    "web-morning-nice": { type: "string" },
    only: { type: "string" },
    out: { type: "string" },
    "cpu-prof": { type: "string" },
    "heap-prof": { type: "string" },
    "heap-prof-survivors": { type: "boolean", default: false },
    "heap-snapshot-at": { type: "string" },
    "worker-flags": { type: "string" },
    quiet: { type: "boolean", default: false },
  },
  strict: true,
});

const smoke = args.smoke!;
const int = (value: string | undefined, fallback: number, name: string) => {
  const v = value === undefined ? fallback : Number(value);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} expects a number`);
  return v;
};
const settings = {
  subscribers: int(args.subscribers, smoke ? 60 : 100_000, "subscribers"),
  pgliteSubscribers: int(args["pglite-subscribers"], smoke ? 40 : 10_000, "pglite-subscribers"),
  naiveSample: int(args["naive-sample"], smoke ? 20 : 5_000, "naive-sample"),
  pgliteNaiveSample: smoke ? 10 : 1_000,
  workers: int(args.workers, smoke ? 1 : 2, "workers"),
  feeds: int(args.feeds, smoke ? 3 : 150, "feeds"),
  items: int(args.items, smoke ? 10 : 50, "items"),
  connections: int(args.connections, smoke ? 4 : 50, "connections"),
  webSeconds: int(args["web-seconds"], smoke ? 1 : 10, "web-seconds"),
  // The web while the morning is sent: the manage page at a steady rate (readers clicking), measured for
  // 20 s with nothing sending, then for 20 s from the start of the morning (which lasts longer).
  webMorningRate: int(args["web-morning-rate"], smoke ? 20 : 100, "web-morning-rate"),
  webMorningConnections: smoke ? 2 : 10,
  webMorningSeconds: smoke ? 1 : 20,
  // The sending processes' niceness, as the README's systemd example runs them (Nice=10).
  webMorningNice: int(args["web-morning-nice"], 10, "web-morning-nice"),
  // One sending process's share of the 100,000 morning (two processes), each with its own renderer; the
  // full React Email render, the same for every digest, is timed on the first 2,000.
  renderSubscribers: smoke ? 20 : 50_000,
  renderFullSample: smoke ? 10 : 2_000,
  /** The measured moment: a Wednesday, so every zone's local day is a weekday. */
  now: "2026-05-13T10:00:00.000Z",
};
const only = new Set<Section>(args.only ? (args.only.split(",").map((x) => x.trim()) as Section[]) : SECTIONS);
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(", ")})`);
const explicitUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
const baseUrl = explicitUrl ?? (smoke ? undefined : DEFAULT_POSTGRES_URL);
const say = args.quiet ? () => {} : (line: string) => console.log(line);
const now = new Date(settings.now);

async function postgresVersion(url: string | undefined): Promise<string | null> {
  if (!url) return null;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql<Array<{ server_version: string }>>`show server_version`;
    return `PostgreSQL ${row!.server_version.split(" ")[0]}`;
  } finally {
    await sql.end();
  }
}

const morning: BenchResult["morning"] = {};
const ingestion: IngestFigures[] = [];
let rendering: RenderFigures | null = null;
let web: BenchResult["web"] = null;
let webDuringMorning: WebDuringMorningFigures | null = null;
const kept: MorningFigures[] = [];
try {
  // Ingestion first: after a 100,000 morning PostgreSQL spends the next minutes writing it back (the web
  // section checkpoints first for the same reason), and that is not what ingestion costs.
  if (only.has("ingest")) {
    // PGlite first: dropping the PostgreSQL run's scratch database makes the server checkpoint, and that
    // writing went on through a PGlite run measured after it.
    const pglite = await benchIngestionInChild({ feeds: settings.feeds, items: settings.items, log: say });
    if (baseUrl) ingestion.push(await benchIngestionInChild({ feeds: settings.feeds, items: settings.items, baseUrl, log: say }));
    ingestion.push(pglite);
  }
  if (only.has("morning") && baseUrl) {
    morning.postgres = await benchMorning({
      kind: "postgres",
      subscribers: settings.subscribers,
      workers: settings.workers,
      naiveSample: settings.naiveSample,
      baseUrl,
      now,
      keep: only.has("web"),
      log: say,
      ...(args["cpu-prof"] ? { cpuProfDir: resolve(args["cpu-prof"]) } : {}),
      ...(args["heap-prof"] ? { heapProfDir: resolve(args["heap-prof"]), heapProfSurvivors: args["heap-prof-survivors"]! } : {}),
      ...(args["heap-snapshot-at"] ? { heapSnapshotAtMs: args["heap-snapshot-at"].split(",").map(Number) } : {}),
      ...(args["worker-flags"] ? { nodeFlags: args["worker-flags"].split(" ").filter(Boolean) } : {}),
    });
    if (morning.postgres.drop) kept.push(morning.postgres);
  }
  if (only.has("pglite")) {
    morning.pglite = await benchMorning({
      kind: "pglite",
      subscribers: settings.pgliteSubscribers,
      workers: 1,
      naiveSample: settings.pgliteNaiveSample,
      now,
      keep: only.has("web") && !morning.postgres,
      log: say,
    });
    if (morning.pglite.drop) kept.push(morning.pglite);
  }
  if (only.has("render")) {
    say(`Rendering alone: ${settings.renderSubscribers} digests assembled by a fresh renderer, against a full React Email render (timed on ${settings.renderFullSample})`);
    rendering = await benchRendering(settings.renderSubscribers, settings.renderFullSample);
    say(`  ${rendering.fullMs.toFixed(3)} ms vs ${rendering.assembledFreshMs.toFixed(3)} ms (fresh renderer) / ${rendering.assembledCachedMs.toFixed(3)} ms (parts cached) per digest`);
  }
  if (only.has("web")) {
    const source = kept[0];
    if (!source?.location) throw new Error("--only web needs the morning section too (its subscribers are the web's)");
    if (source.database === "PostgreSQL") {
      // The morning just rewrote every subscriber row and wrote 100,000 deliveries twice: the web is
      // measured after the cleanup a production server's autovacuum would have done (this machine's
      // PostgreSQL runs with it off) and a checkpoint, not while the server flushes the morning's writes.
      const admin = postgres(source.location, { max: 1, onnotice: () => {} });
      try {
        await admin.unsafe("vacuum analyze");
        await admin.unsafe("checkpoint");
      } finally {
        await admin.end();
      }
    }
    say(`Web: ${settings.connections} connections for ${settings.webSeconds} s against the real app (${source.database}, vacuumed after the morning)`);
    const endpoints: EndpointFigures[] = await benchWeb({
      kind: source.database === "PostgreSQL" ? "postgres" : "pglite",
      location: source.location,
      connections: settings.connections,
      durationS: settings.webSeconds,
      log: say,
    });
    web = { database: source.database, endpoints };
  }
  if (only.has("web-morning") && baseUrl) {
    // Its own morning (the measured morning above runs with nothing else on the machine).
    webDuringMorning = await benchWebDuringMorning({
      baseUrl,
      subscribers: settings.subscribers,
      workers: settings.workers,
      rate: settings.webMorningRate,
      connections: settings.webMorningConnections,
      durationS: settings.webMorningSeconds,
      senderNice: settings.webMorningNice,
      now,
      log: say,
    });
  }
} finally {
  for (const k of kept) await k.drop!().catch(() => {});
}

const strip = (m?: MorningFigures) => (m ? (({ drop: _d, location: _l, ...rest }) => rest)(m) : undefined);
const partial: Omit<BenchResult, "targets"> = {
  version: 1,
  date: new Date().toISOString(),
  smoke,
  machine: machine(await postgresVersion(baseUrl)),
  settings: { ...settings, sections: [...only], postgres: Boolean(baseUrl) },
  morning: { ...(morning.postgres ? { postgres: strip(morning.postgres) } : {}), ...(morning.pglite ? { pglite: strip(morning.pglite) } : {}) },
  rendering,
  ingestion,
  web,
  webDuringMorning,
};
const result: BenchResult = { ...partial, targets: targetsOf(partial) };
const dir = resolve(args.out ?? join(import.meta.dirname, "results"));
mkdirSync(dir, { recursive: true });
const file = join(dir, `${result.date.slice(0, 10)}.json`);
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
say("");
say(markdownTable(result));
say(`written: ${file}`);
