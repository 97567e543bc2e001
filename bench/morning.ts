// The morning run, measured: generate the world into a fresh database, start the sending process(es)
// (bench/morning-worker.ts), tell them to tick, and time until every delivery is recorded as accepted by
// the local fake Resend (bench/fast-fake-resend.ts, in this process). Then the naive comparison: a sample
// of subscribers is rewound (their deliveries deleted, schedules restored) and the same morning is run
// again for them with one full React Email render per digest, in the same processes, on the same data.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectPostgres, type Database } from "../db/client";
import { openPglite } from "../db/pglite";
import { migrateDatabase } from "../db/migrate";
import { analyze, sampleSchedules } from "./bench-queries";
import { createPostgresDatabase } from "./databases";
import { startFastFakeResend, type FastFakeResend } from "./fast-fake-resend";
import { generateWorld, type WorldSummary } from "./generate";
import { buildNode } from "../src/cli/build-node.mjs";
import { cpuMsOf } from "./process-cpu";
import type { MemoryMakeup, TickReport, WorkerCommand, WorkerOptions, WorkerReply } from "./morning-worker";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface MorningOptions {
  kind: "postgres" | "pglite";
  subscribers: number;
  /** Sending processes (PGlite: always 1, it has one session). */
  workers: number;
  /** Subscribers re-run with naive rendering (0: skip). */
  naiveSample: number;
  /** PostgreSQL server URL (a database is created next to it). */
  baseUrl?: string;
  now: Date;
  /** Write V8 CPU profiles of the workers here. */
  cpuProfDir?: string;
  /** Write allocation profiles (sampling, collected objects included) of the workers' ticks here. */
  heapProfDir?: string;
  /** Profile only allocations that outlived a young-generation collection. */
  heapProfSurvivors?: boolean;
  /** Heap snapshots this many ms into each tick (into heapProfDir). */
  heapSnapshotAtMs?: number[];
  /** Node options for the sending processes (e.g. --max-old-space-size=160), as NODE_OPTIONS would give. */
  nodeFlags?: string[];
  /** Keep the database for the web benchmark; the caller calls `drop`. */
  keep?: boolean;
  log?: (line: string) => void;
}

export interface RunFigures {
  processes: number;
  digests: number;
  planned: number;
  skipped: number;
  failed: number;
  wallMs: number;
  digestsPerSecond: number;
  /** Highest peak RSS among the sending processes, MB. */
  peakRssMb: number;
  rssPerProcessMb: number[];
  /** RSS of each sending process when ready, before the tick (Node, modules, connections), MB. */
  readyRssMb: number[];
  heapAtEndMb: TickReport["endHeapMb"][];
  /** Each sending process's memory when its RSS was highest (sampled every 20 ms), MB. */
  atPeakMb: MemoryMakeup[];
  /** And when it was ready, before the tick. */
  atReadyMb: MemoryMakeup[];
  statements: number;
  statementsPer1000: number;
  cpuMs: number;
  /** CPU of the PostgreSQL server's processes during the run (local server, Linux), ms. */
  postgresCpuMs: number | null;
  /** CPU of this process during the run (the fake Resend answering), ms. */
  fakeResendCpuMs: number;
  providerRequests: number;
  bytesPerDigest: number;
}

export interface MorningFigures {
  database: "PostgreSQL" | "PGlite";
  /** Node options the sending processes ran with (none: Node's defaults). */
  nodeFlags: string[];
  world: WorldSummary;
  run: RunFigures;
  check: { sentRows: number; acceptedByFake: number; duplicates: number; replays: number; pending: number; malformed: number; ok: boolean };
  naive?: RunFigures & { sample: number; msPerDigest: number; fastMsPerDigest: number; ratio: number; extrapolatedMs: number };
  /** Set when `keep`: where the database is (PostgreSQL URL or PGlite folder), for the web benchmark. */
  location?: string;
  drop?: () => Promise<void>;
}

/** A sending process: commands go in, one reply comes back per command. */
export interface Worker {
  /** The sending process's pid. */
  pid: number | undefined;
  ready: Promise<void>;
  ask<T extends WorkerReply["type"]>(command: WorkerCommand, expect: T): Promise<Extract<WorkerReply, { type: T }>>;
  exited: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `count` sending processes (bench/morning-worker.ts, built to JavaScript first as `npm start` runs
 * the service: no TypeScript loader in the measured processes) and waits until each has connected.
 */
export async function startSendingProcesses(count: number, options: WorkerOptions, nodeFlags: string[] = [], cpuProfDir?: string): Promise<Worker[]> {
  const [builtWorker] = await buildNode(["bench/morning-worker.ts"], "dist/bench");
  const workers = Array.from({ length: count }, () => startWorker(builtWorker!, options, nodeFlags, cpuProfDir));
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (error) {
    await Promise.all(workers.map((w) => w.stop()));
    throw error;
  }
  return workers;
}

function startWorker(builtWorker: string, options: WorkerOptions, nodeFlags: string[], cpuProfDir?: string): Worker {
  const execArgv = [...nodeFlags, ...(cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfDir] : [])];
  const child = spawn(process.execPath, [...execArgv, builtWorker, JSON.stringify(options)], {
    cwd: ROOT,
    // The workers run as production processes would (React's production build).
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let waiting: { resolve: (m: WorkerReply) => void; reject: (e: Error) => void } | null = null;
  let onReady!: () => void;
  let failReady!: (e: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((onReady = resolve), (failReady = reject)));
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      const error = new Error(`morning worker exited with ${code}`);
      failReady(error);
      waiting?.reject(error);
      resolve();
    }),
  );
  child.on("message", (m: WorkerReply) => {
    if (m.type === "ready") return onReady();
    const w = waiting;
    waiting = null;
    if (m.type === "error") w?.reject(new Error(`morning worker: ${m.error}`));
    else w?.resolve(m);
  });
  return {
    pid: child.pid,
    ready,
    exited,
    stop: () => {
      if (child.connected) child.send({ type: "exit" } satisfies WorkerCommand);
      return exited;
    },
    ask: (command, expect) =>
      new Promise((resolve, reject) => {
        waiting = { resolve: (m) => (m.type === expect ? resolve(m as never) : reject(new Error(`unexpected reply ${m.type}`))), reject };
        child.send(command);
      }),
  };
}

async function measureTick(kind: MorningOptions["kind"], workers: Worker[], naive: boolean, fake: FastFakeResend): Promise<RunFigures> {
  fake.reset();
  const pg0 = cpuMsOf("postgres");
  const own0 = process.cpuUsage();
  const t0 = performance.now();
  const reports = (await Promise.all(workers.map((w) => w.ask({ type: "tick", naive }, "tick")))).map((r) => r.report);
  const wallMs = performance.now() - t0;
  const own = process.cpuUsage(own0);
  const pg1 = cpuMsOf("postgres");
  const sum = (f: (r: TickReport) => number) => reports.reduce((n, r) => n + f(r), 0);
  const digests = sum((r) => r.result.sent);
  const statements = sum((r) => r.statements);
  const rss = reports.map((r) => Math.round(r.maxRssKb / 1024));
  for (const r of reports) if (r.result.stopped || r.result.failed) console.error(r.logs.join("\n"));
  return {
    processes: workers.length,
    digests,
    planned: sum((r) => r.result.planned),
    skipped: sum((r) => r.result.skipped),
    failed: sum((r) => r.result.failed),
    wallMs: Math.round(wallMs),
    digestsPerSecond: Math.round(digests / (wallMs / 1000)),
    peakRssMb: Math.max(...rss),
    rssPerProcessMb: rss,
    readyRssMb: reports.map((r) => r.readyRssMb),
    heapAtEndMb: reports.map((r) => r.endHeapMb),
    atPeakMb: reports.map((r) => r.atPeak),
    atReadyMb: reports.map((r) => r.atReady),
    statements,
    statementsPer1000: digests ? Math.round((statements / digests) * 1000 * 10) / 10 : 0,
    cpuMs: Math.round(sum((r) => r.cpuUserMs + r.cpuSystemMs)),
    postgresCpuMs: kind === "postgres" && pg0 !== null && pg1 !== null ? pg1 - pg0 : null,
    fakeResendCpuMs: Math.round((own.user + own.system) / 1000),
    providerRequests: fake.requests(),
    bytesPerDigest: digests ? Math.round(fake.bytes() / digests) : 0,
  };
}

/** "RSS 280 MB = V8 heap 150 (120 in use; young 32, old 118) + external 60 (buffers 20) + other 70". */
export function describeMakeup(m: MemoryMakeup): string {
  const wasm = m.wasmMemory !== undefined ? `the database's WebAssembly memory ${m.wasmMemory}, ` : "";
  return `RSS ${m.rss} MB = V8 heap ${m.heapTotal} (${m.heapUsed} in use; young ${m.newSpace}, old ${m.oldSpaces}) + external ${m.external} (${wasm}array buffers ${m.arrayBuffers}) + other ${m.other}`;
}

interface Store {
  location: string;
  open(): Promise<Database>;
  dispose(): Promise<void>;
  url?: string;
}

async function createStore(options: MorningOptions): Promise<Store> {
  if (options.kind === "postgres") {
    const created = await createPostgresDatabase(options.baseUrl!);
    return { location: created.url, url: created.url, open: async () => connectPostgres(created.url, { max: 4 }), dispose: created.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), "wd-bench-pglite-"));
  return {
    location: dir,
    open: async () => {
      const database = await openPglite(dir);
      await migrateDatabase(database);
      return database;
    },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function benchMorning(options: MorningOptions): Promise<MorningFigures> {
  const say = options.log ?? (() => {});
  const label = options.kind === "postgres" ? "PostgreSQL" : "PGlite";
  const store = await createStore(options);
  const fake = await startFastFakeResend();
  const count = options.kind === "pglite" ? 1 : options.workers;
  let workers: Worker[] = [];
  try {
    const database = await store.open();
    say(`${label}: generating ${options.subscribers.toLocaleString("en-US")} subscribers and two days of articles`);
    const world = await generateWorld(database.db, { subscribers: options.subscribers, now: options.now });
    await analyze(database.db);
    const sample = options.naiveSample > 0 ? await sampleSchedules(database.db, Math.min(options.naiveSample, options.subscribers)) : [];
    say(`  generated in ${(world.ms / 1000).toFixed(1)} s: ${world.stories} stories, ${world.articles} articles, ${world.distinctCountrySets.toLocaleString("en-US")} distinct country sets`);
    await database.close(); // PGlite has one session: the worker opens the folder

    const workerOptions: WorkerOptions = {
      kind: options.kind,
      location: store.location,
      resendUrl: fake.url,
      nowMs: options.now.getTime(),
      ...(options.heapProfDir ? { heapProfDir: options.heapProfDir, heapProfSurvivors: options.heapProfSurvivors ?? false } : {}),
      ...(options.heapSnapshotAtMs ? { heapSnapshotAtMs: options.heapSnapshotAtMs } : {}),
    };
    const flags = options.nodeFlags ?? process.env.BENCH_WORKER_FLAGS?.split(" ").filter(Boolean) ?? [];
    workers = await startSendingProcesses(count, workerOptions, flags, options.cpuProfDir);
    say(`  morning run: ${count} sending process${count === 1 ? "" : "es"}`);
    const run = await measureTick(options.kind, workers, false, fake);
    say(`  ${run.digests.toLocaleString("en-US")} digests in ${(run.wallMs / 1000).toFixed(2)} s (${run.digestsPerSecond}/s), peak RSS ${run.peakRssMb} MB`);
    for (const [i, m] of run.atPeakMb.entries()) say(`    at the peak: ${describeMakeup(m)}; when ready: ${describeMakeup(run.atReadyMb[i]!)}`);

    const { outcomes } = await workers[0]!.ask({ type: "check" }, "check");
    const check = {
      sentRows: outcomes.sent ?? 0,
      acceptedByFake: fake.accepted(),
      duplicates: fake.duplicates(),
      replays: fake.replays(),
      pending: (outcomes.queued ?? 0) + (outcomes.sending ?? 0),
      malformed: fake.malformed(),
      ok: false,
    };
    check.ok = check.sentRows === run.digests && check.acceptedByFake === check.sentRows && check.duplicates === 0 && check.pending === 0 && check.malformed === 0 && run.failed === 0;

    let naive: MorningFigures["naive"];
    if (sample.length > 0) {
      const wire = sample.map((s) => ({ id: s.id, nextSendAt: s.nextSendAt?.toISOString() ?? null, lastEditionAt: s.lastEditionAt?.toISOString() ?? null }));
      await workers[0]!.ask({ type: "rewind", sample: wire }, "rewind");
      say(`  naive rendering: the same morning again for ${sample.length.toLocaleString("en-US")} of them, in the same process${count === 1 ? "" : "es"}`);
      const n = await measureTick(options.kind, workers, true, fake);
      const msPerDigest = n.wallMs / Math.max(1, n.digests);
      const fastMsPerDigest = run.wallMs / Math.max(1, run.digests);
      naive = {
        ...n,
        sample: sample.length,
        msPerDigest: Math.round(msPerDigest * 1000) / 1000,
        fastMsPerDigest: Math.round(fastMsPerDigest * 1000) / 1000,
        ratio: Math.round((msPerDigest / fastMsPerDigest) * 10) / 10,
        extrapolatedMs: Math.round(msPerDigest * run.digests),
      };
      say(`  naive: ${n.digests} digests in ${(n.wallMs / 1000).toFixed(2)} s (${naive.msPerDigest} ms/digest), ${naive.ratio}× the fast run's time per digest`);
    }
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
    const figures: MorningFigures = { database: label, nodeFlags: flags, world, run, check, ...(naive ? { naive } : {}) };
    if (options.keep) return { ...figures, location: store.location, drop: store.dispose };
    await store.dispose();
    return figures;
  } catch (error) {
    await store.dispose().catch(() => {});
    throw error;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await fake.close();
  }
}
