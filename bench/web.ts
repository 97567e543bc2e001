// Web benchmark: autocannon (50 connections, 10 s) against the real app on a listening socket
// (bench/web-server.ts, its own process) on the morning's database (PostgreSQL; PGlite in the smoke run):
//   - GET /manage/<token>: the manage page, cycling through many subscribers' links;
//   - POST /unsubscribe/<token> with "List-Unsubscribe=One-Click" (RFC 8058): each request a different
//     subscriber's link, in order; when the requests outnumber the subscribers the list starts again
//     and those requests re-unsubscribe someone already unsubscribed (reported as `repeated`).
// autocannon runs in this process, so on a 2-core machine it competes with the server and PostgreSQL.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { connectPostgres, type Database } from "../db/client";
import { openPglite } from "../db/pglite";
import { linkFor } from "../src/tokens";
import { someSubscribers } from "./bench-queries";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SECRET = "bench-web-secret-bench-web-secret-0123456789";

export interface EndpointFigures {
  endpoint: string;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  /** One-click: requests that found their subscriber already unsubscribed (the link list wrapped). */
  repeated?: number;
  distinctSubscribers: number;
}

export interface WebOptions {
  /** The database of the morning run (its subscribers are used): a PostgreSQL URL or a PGlite folder. */
  kind: "postgres" | "pglite";
  location: string;
  connections: number;
  durationS: number;
  log?: (line: string) => void;
}

function startServer(kind: WebOptions["kind"], location: string) {
  const flags = process.env.BENCH_SERVER_FLAGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, ["--import", "tsx", ...flags, join(ROOT, "bench/web-server.ts"), JSON.stringify({ kind, location, secret: SECRET })], {
    cwd: ROOT,
    // As a production server runs.
    env: { ...process.env, NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const port = new Promise<number>((resolve, reject) => {
    child.on("message", (m: { type: string; port?: number }) => m.type === "listening" && resolve(m.port!));
    child.once("exit", (code) => reject(new Error(`web server exited (${code})`)));
  });
  const stopped = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { port, stop: () => (child.send({ type: "stop" }), stopped) };
}

function load(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false, outputStream: { write() {} } as never });
  });
}

function figures(endpoint: string, r: autocannon.Result, distinct: number): EndpointFigures {
  return {
    endpoint,
    requests: r.requests.total,
    requestsPerSecond: Math.round(r.requests.average),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    distinctSubscribers: distinct,
  };
}

export async function benchWeb(options: WebOptions): Promise<EndpointFigures[]> {
  const say = options.log ?? (() => {});
  const database: Database = options.kind === "postgres" ? connectPostgres(options.location, { max: 2 }) : await openPglite(options.location);
  const people = await someSubscribers(database.db, 200_000);
  await database.close();
  if (people.length === 0) throw new Error("web benchmark: the database has no subscribers");
  const at = new Date();
  const manage = people.slice(0, 10_000).map((s) => linkFor("", SECRET, "manage", s, at));
  const unsubscribe = people.map((s) => linkFor("", SECRET, "unsubscribe", s, at));
  const server = startServer(options.kind, options.location);
  try {
    const base = `http://127.0.0.1:${await server.port}`;
    const common = { url: base, connections: options.connections, duration: options.durationS };
    // A second's warm-up (JIT, connection pool), not measured (not in a smoke run).
    if (options.durationS > 1) await load({ ...common, duration: 1, requests: [{ method: "GET", path: manage[0]! }] });

    let m = 0;
    const get = await load({
      ...common,
      requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: manage[m++ % manage.length]! }) }],
    });
    const manageFigures = figures("GET /manage/<token>", get, Math.min(m, manage.length));
    say(`  manage page: ${manageFigures.requestsPerSecond} req/s, p50 ${manageFigures.p50Ms} ms, p99 ${manageFigures.p99Ms} ms`);

    let u = 0;
    const post = await load({
      ...common,
      requests: [
        {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: "List-Unsubscribe=One-Click",
          setupRequest: (req) => ({ ...req, path: unsubscribe[u++ % unsubscribe.length]! }),
        },
      ],
    });
    const oneClick = { ...figures("POST /unsubscribe/<token> (one-click)", post, Math.min(u, unsubscribe.length)), repeated: Math.max(0, u - unsubscribe.length) };
    say(`  one-click unsubscribe: ${oneClick.requestsPerSecond} req/s, p50 ${oneClick.p50Ms} ms, p99 ${oneClick.p99Ms} ms (${oneClick.distinctSubscribers} subscribers)`);
    return [manageFigures, oneClick];
  } finally {
    await server.stop();
  }
}
