// The web while the morning is sent (issue 14, part 4): the deployment PROCESS_ROLE allows on PostgreSQL —
// one web process (bench/web-server.ts: the real app, as PROCESS_ROLE=web serves it) and separate sending
// processes (bench/morning-worker.ts: the real tick, as PROCESS_ROLE=jobs runs it) on one database. The
// manage page is asked for at a steady rate (readers clicking, not a load test: autocannon's overallRate),
// first for `durationS` with nothing sending, then from before the sending processes start a morning of
// every subscriber until it is sent; only responses that ended while it was being sent are counted.
// Reported: p50, p99 and the slowest response of each, and the morning itself (all sent, exactly once).
import { setPriority } from "node:os";
import { connectPostgres } from "../db/client";
import { analyze, someSubscribers } from "./bench-queries";
import { createPostgresDatabase } from "./databases";
import { startFastFakeResend } from "./fast-fake-resend";
import { generateWorld } from "./generate";
import { startSendingProcesses, type Worker } from "./morning";
import type { LoadResult, Sample } from "./web-load";
import { latencyOf, load, manageLinks, startServer } from "./web";

export interface WebDuringMorningOptions {
  baseUrl: string;
  subscribers: number;
  /** Sending processes (each as PROCESS_ROLE=jobs would run). */
  workers: number;
  /** Manage-page requests per second, across `connections`. */
  rate: number;
  connections: number;
  /** How long each measurement lasts. */
  durationS: number;
  /** Niceness of the sending processes (README's example units: Nice=10); 0 leaves them as they start. */
  senderNice: number;
  now: Date;
  log?: (line: string) => void;
}

/** The latency figures of the web section's endpoints (bench/web.ts), for one page. */
export type PageLatency = ReturnType<typeof latencyOf>;

export interface WebDuringMorningFigures {
  subscribers: number;
  sendingProcesses: number;
  /** Niceness the sending processes ran at. */
  senderNice: number;
  rate: number;
  connections: number;
  durationS: number;
  /** GET /manage/<token> with nothing sending. */
  idle: PageLatency;
  /** The same while the sending processes send the morning (responses that ended during it). */
  sending: PageLatency;
  morning: { digests: number; wallMs: number; exactlyOnce: boolean };
}


/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

/** The responses that ended within [from, to] (Date.now() times), as page latency figures. */
function responsesBetween(r: LoadResult, from: number, to: number): PageLatency {
  const inside = (r.samples ?? []).filter(([at]) => at >= from && at <= to);
  const ms = inside.map(([, latency]) => latency).sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    requests: inside.length,
    requestsPerSecond: Math.round(inside.length / Math.max(0.001, (to - from) / 1000)),
    p50Ms: round(percentile(ms, 50)),
    p99Ms: round(percentile(ms, 99)),
    maxMs: round(ms.at(-1) ?? 0),
    non2xx: inside.filter((s: Sample) => s[2] < 200 || s[2] > 299).length,
    // Connection errors and timeouts are not responses: over the whole run, which the window is most of.
    errors: r.errors,
  };
}

export async function benchWebDuringMorning(options: WebDuringMorningOptions): Promise<WebDuringMorningFigures> {
  const say = options.log ?? (() => {});
  const created = await createPostgresDatabase(options.baseUrl);
  const fake = await startFastFakeResend();
  let workers: Worker[] = [];
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const database = connectPostgres(created.url, { max: 4 });
    say(`Web while the morning is sent (PostgreSQL): generating ${options.subscribers.toLocaleString("en-US")} subscribers`);
    await generateWorld(database.db, { subscribers: options.subscribers, now: options.now });
    await analyze(database.db);
    const paths = manageLinks(await someSubscribers(database.db, 10_000), 10_000);
    await database.close();

    server = await startServer("postgres", created.url);
    workers = await startSendingProcesses(options.workers, { kind: "postgres", location: created.url, resendUrl: fake.url, nowMs: options.now.getTime() });
    // As the README's systemd units run them: the morning is throughput work and may wait; a reader may not.
    if (options.senderNice) for (const w of workers) if (w.pid) setPriority(w.pid, options.senderNice);
    const url = `http://127.0.0.1:${await server.port}`;
    const job = { url, connections: options.connections, method: "GET" as const, paths, overallRate: options.rate };
    // A second's warm-up (JIT, connection pool), not measured (not in a smoke run).
    if (options.durationS > 1) await load({ ...job, durationS: 1 });

    const idle = latencyOf(await load({ ...job, durationS: options.durationS }));
    say(`  nothing sending: manage page p50 ${idle.p50Ms} ms, p99 ${idle.p99Ms} ms, slowest ${idle.maxMs} ms (${idle.requests} requests at ${options.rate}/s)`);

    // The load starts first; the morning starts once it runs, and the load stops when the morning is sent.
    fake.reset();
    let from = 0;
    let to = 0;
    let startMorning!: () => void;
    const started = new Promise<void>((resolve) => (startMorning = resolve));
    const morning = started
      .then(() => ((from = Date.now()), Promise.all(workers.map((w) => w.ask({ type: "tick", naive: false }, "tick")))))
      .finally(() => (to = Date.now()));
    const during = load({ ...job, durationS: 3_600, samples: true }, { onStarted: startMorning, stopWhen: morning.catch(() => undefined) });
    const reports = await morning;
    const sending = responsesBetween(await during, from, to);
    const wallMs = to - from;
    const digests = reports.reduce((n, r) => n + r.report.result.sent, 0);
    say(`  ${options.workers} processes sending: manage page p50 ${sending.p50Ms} ms, p99 ${sending.p99Ms} ms, slowest ${sending.maxMs} ms (${sending.requests} responses during the morning)`);
    say(`  the morning: ${digests.toLocaleString("en-US")} digests in ${(wallMs / 1000).toFixed(2)} s`);
    const { outcomes } = await workers[0]!.ask({ type: "check" }, "check");
    const exactlyOnce = fake.duplicates() === 0 && fake.accepted() === digests && (outcomes.sent ?? 0) === digests && (outcomes.queued ?? 0) + (outcomes.sending ?? 0) === 0;
    return {
      subscribers: options.subscribers,
      sendingProcesses: options.workers,
      senderNice: options.senderNice,
      rate: options.rate,
      connections: options.connections,
      durationS: options.durationS,
      idle,
      sending,
      morning: { digests, wallMs, exactlyOnce },
    };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await server?.stop();
    await fake.close();
    await created.drop();
  }
}
