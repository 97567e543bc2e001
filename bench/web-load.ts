// One autocannon run in a process of its own, for bench/web.ts: the load generator's event loop and
// garbage collector are then not those of the bench runner, which after a 100,000-subscriber morning holds
// that world in memory (measured: ~25% fewer requests per second and a longer tail with autocannon there).
//   node --import tsx bench/web-load.ts <job.json>      says { started } then answers { result } over IPC;
//                                                       { stop } over IPC ends the run early
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

export interface LoadJob {
  url: string;
  connections: number;
  durationS: number;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  /** Request i goes to paths[i % paths.length]. */
  paths: string[];
  /** Requests per second across all connections (absent: as fast as the server answers). */
  overallRate?: number;
  /** Keep every response's end time and latency (to measure a window of the run). */
  samples?: boolean;
}

/** A response: when it ended (Date.now()), its latency in ms, its status. */
export type Sample = [endedAt: number, latencyMs: number, status: number];

export interface LoadResult {
  total: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  /** Requests set up (paths used, wrapping included). */
  used: number;
  samples?: Sample[];
}

async function main() {
  const job = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as LoadJob;
  let used = 0;
  const samples: Sample[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        duration: job.durationS,
        ...(job.overallRate ? { overallRate: job.overallRate } : {}),
        requests: [
          {
            method: job.method,
            ...(job.headers ? { headers: job.headers } : {}),
            ...(job.body !== undefined ? { body: job.body } : {}),
            setupRequest: (req) => ({ ...req, path: job.paths[used++ % job.paths.length]! }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (job.samples) instance.on("response", (_client, status, _bytes, latencyMs) => samples.push([Date.now(), latencyMs, status]));
    process.on("message", (m: { type?: string }) => m.type === "stop" && instance.stop());
    process.send!({ started: true });
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false, outputStream: { write() {} } as never });
  });
  const result: LoadResult = {
    total: r.requests.total,
    perSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    used,
    ...(job.samples ? { samples } : {}),
  };
  process.send!({ result }, () => process.exit(0));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
