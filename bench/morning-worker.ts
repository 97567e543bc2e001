// One sending process of the benchmark's morning run. Opens the database (counting statements), says
// "ready" over IPC, then obeys the parent:
//   tick    — run the real digest tick (src/digest/tick.ts) through the real Resend SDK mailer against the
//             parent's fake, with the cached renderer or (naive) one full React render per digest, and
//             report the figures;
//   check   — count the deliveries planned at `now` by status (worker 0 only);
//   rewind  — undo the morning for a sample of subscribers, so the naive run can redo it (worker 0 only);
//   exit.
// Several of these share one PostgreSQL (SKIP LOCKED) exactly as production worker processes do; the naive
// run happens in the same processes, on the same data.
//   node --import tsx bench/morning-worker.ts '<json WorkerOptions>'
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { join } from "node:path";
import { getHeapSpaceStatistics, writeHeapSnapshot } from "node:v8";
import { pingDatabase } from "../db/client";
import { createResendMailer } from "../src/mail/resend-mailer";
import { testConfig } from "../src/config";
import { createLogger, type Logger } from "../src/log";
import { runTick, type TickDeps, type TickResult } from "../src/digest/tick";
import { outcomesOf, rewindSubscribers, type ScheduleSnapshot } from "./bench-queries";
import { connectCountingPostgres, openCountingPglite, type CountingDatabase } from "./databases";
import { createNaiveRenderer } from "./naive-renderer";

export interface WorkerOptions {
  kind: "postgres" | "pglite";
  /** PostgreSQL URL or PGlite folder. */
  location: string;
  resendUrl: string;
  nowMs: number;
  /** Write a sampling allocation profile of each tick here (every allocation, collected or not). */
  heapProfDir?: string;
  /** Profile only what outlived a young-generation collection: what fills the old generation. */
  heapProfSurvivors?: boolean;
  /** Write heap snapshots (live objects) this many ms into each tick, into heapProfDir. */
  heapSnapshotAtMs?: number[];
  /** Batches in flight in this process (the tick's default when absent). */
  concurrency?: number;
  pool?: number;
}

export interface TickReport {
  result: TickResult;
  wallMs: number;
  statements: number;
  /** KB, the process's high-water mark so far (process.resourceUsage().maxRSS). */
  maxRssKb: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** RSS when the process was ready (modules loaded, database connected), before any tick, MB. */
  readyRssMb: number;
  /** V8 heap and buffers at the end of the tick, MB. */
  endHeapMb: { heapUsed: number; heapTotal: number; external: number };
  /** What the process's memory was made of when its RSS was highest during the tick (sampled), MB. */
  atPeak: MemoryMakeup;
  /** And when it was ready, before any tick. */
  atReady: MemoryMakeup;
  logs: string[];
}

export type WorkerCommand =
  | { type: "tick"; naive: boolean }
  | { type: "check" }
  | { type: "rewind"; sample: Array<{ id: string; nextSendAt: string | null; lastEditionAt: string | null }> }
  | { type: "exit" };

export type WorkerReply =
  | { type: "ready" }
  | { type: "tick"; report: TickReport }
  | { type: "check"; outcomes: Record<string, number> }
  | { type: "rewind" }
  | { type: "error"; error: string };

export interface MemoryMakeup {
  rss: number;
  /** V8's heap as reserved (heapTotal), and what of it was in use. */
  heapTotal: number;
  heapUsed: number;
  /** The young generation (new space) and the old generation (old, code, map, large-object spaces), reserved. */
  newSpace: number;
  oldSpaces: number;
  /** Memory outside V8's heap that V8 knows of (Buffers, ArrayBuffers, PGlite's WebAssembly memory). */
  external: number;
  arrayBuffers: number;
  /** rss − heapTotal − external: Node's own code and data, native modules, the allocator's free memory. */
  other: number;
  /** PGlite: the database's WebAssembly memory (counted in `external`). */
  wasmMemory?: number;
}

const mb = (x: number) => Math.round(x / 2 ** 20);

/** PGlite's WebAssembly memory in bytes, when the process runs the database. */
let wasmMemoryBytes: (() => number) | undefined;

function memoryMakeup(): MemoryMakeup {
  const m = process.memoryUsage();
  let newSpace = 0;
  let oldSpaces = 0;
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === "new_space") newSpace += space.space_size;
    else if (space.space_name !== "new_large_object_space") oldSpaces += space.space_size;
  }
  return {
    rss: mb(m.rss),
    heapTotal: mb(m.heapTotal),
    heapUsed: mb(m.heapUsed),
    newSpace: mb(newSpace),
    oldSpaces: mb(oldSpaces),
    external: mb(m.external),
    arrayBuffers: mb(m.arrayBuffers),
    other: mb(m.rss - m.heapTotal - m.external),
    ...(wasmMemoryBytes ? { wasmMemory: mb(wasmMemoryBytes()) } : {}),
  };
}

/** Samples memory every `everyMs` until stopped; keeps the makeup at the highest RSS seen. */
function watchPeak(everyMs: number): () => MemoryMakeup {
  let peak = memoryMakeup();
  const timer = setInterval(() => {
    // process.memoryUsage.rss() is a cheap read; the full makeup only when it is a new high.
    if (process.memoryUsage.rss() / 2 ** 20 > peak.rss) peak = memoryMakeup();
  }, everyMs);
  return () => {
    clearInterval(timer);
    const last = memoryMakeup();
    return last.rss > peak.rss ? last : peak;
  };
}

/**
 * V8's sampling heap profiler, keeping the samples of objects the garbage collector has since freed: what
 * the tick allocates, not only what it still holds (node --heap-prof keeps only the survivors).
 */
async function profileAllocations<T>(dir: string | undefined, survivors: boolean, name: string, work: () => Promise<T>): Promise<T> {
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post("HeapProfiler.startSampling", { samplingInterval: 64 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: !survivors } as never);
  try {
    return await work();
  } finally {
    const { profile } = (await session.post("HeapProfiler.stopSampling")) as { profile: unknown };
    writeFileSync(join(dir, `${name}-${process.pid}${survivors ? "-survivors" : ""}.heapprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

const reply = (m: WorkerReply) => new Promise<void>((resolve) => process.send!(m, () => resolve()));

async function main() {
  const options = JSON.parse(process.argv[2] ?? "{}") as WorkerOptions;
  const database: CountingDatabase =
    options.kind === "postgres" ? connectCountingPostgres(options.location, options.pool ?? 10) : await openCountingPglite(options.location);
  if ("client" in database) {
    const client = database.client as { mod?: { HEAPU8?: Uint8Array } };
    wasmMemoryBytes = () => client.mod?.HEAPU8?.byteLength ?? 0;
  }
  const logs: string[] = [];
  const log: Logger = createLogger("info", (line) => logs.length < 50 && logs.push(line));
  const started = Date.now();
  const deps: TickDeps = {
    db: database.db,
    dbKind: database.kind,
    config: testConfig({
      publicUrl: "https://worlddigest.example",
      appSecret: "bench-secret-bench-secret-bench-secret-0123456789",
      RESEND_API_KEY: "re_bench",
      SEND_RATE_PER_SECOND: 1000,
      MAIL_FROM: "World Digest <digest@worlddigest.example>",
    }),
    // What is due is decided at `now`; leases follow real time from there.
    clock: () => new Date(options.nowMs + (Date.now() - started)),
    // As src/node/mailer.ts makes it for `npm start`.
    mailer: createResendMailer({ apiKey: "re_bench", baseUrl: options.resendUrl, timeoutMs: 60_000, streamBody: true }),
    log,
  };
  // Connect before the clock starts (opening a pool is not the tick's work).
  await pingDatabase(database.db);
  const atReady = memoryMakeup();
  const readyRssMb = atReady.rss;

  const tick = async (naive: boolean): Promise<TickReport> => {
    logs.length = 0;
    const before = database.statements();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const stopWatching = watchPeak(20);
    const snapshots = (options.heapSnapshotAtMs ?? []).map((ms) =>
      setTimeout(() => writeHeapSnapshot(join(options.heapProfDir ?? ".", `${naive ? "naive-tick" : "tick"}-${process.pid}-at-${ms}ms.heapsnapshot`)), ms),
    );
    const result = await profileAllocations(options.heapProfDir, options.heapProfSurvivors ?? false, naive ? "naive-tick" : "tick", () =>
      runTick(naive ? { ...deps, createRenderer: createNaiveRenderer } : deps, {
        now: new Date(options.nowMs),
        ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      }),
    );
    const wallMs = performance.now() - t0;
    const atPeak = stopWatching();
    snapshots.forEach(clearTimeout);
    const cpu = process.cpuUsage(cpu0);
    const m = process.memoryUsage();
    return {
      atPeak,
      atReady,
      readyRssMb,
      endHeapMb: { heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external) },
      result,
      wallMs,
      statements: database.statements() - before,
      maxRssKb: process.resourceUsage().maxRSS,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      logs: [...logs],
    };
  };

  process.on("message", (command: WorkerCommand) => {
    void (async () => {
      try {
        switch (command.type) {
          case "tick":
            return await reply({ type: "tick", report: await tick(command.naive) });
          case "check":
            return await reply({ type: "check", outcomes: await outcomesOf(database.db, new Date(options.nowMs)) });
          case "rewind": {
            const sample: ScheduleSnapshot[] = command.sample.map((s) => ({
              id: s.id,
              nextSendAt: s.nextSendAt ? new Date(s.nextSendAt) : null,
              lastEditionAt: s.lastEditionAt ? new Date(s.lastEditionAt) : null,
            }));
            await rewindSubscribers(database.db, sample, new Date(options.nowMs));
            return await reply({ type: "rewind" });
          }
          case "exit":
            await database.close();
            process.exit(0);
        }
      } catch (error) {
        await reply({ type: "error", error: String(error instanceof Error ? error.stack : error) });
      }
    })();
  });
  await reply({ type: "ready" });
}

main().catch((error: unknown) => {
  process.stderr.write(`morning worker failed: ${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
