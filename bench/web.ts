// Web benchmark: autocannon (50 connections, 10 s) against the real app on a listening socket
// (bench/web-server.ts, its own process) on the morning's database (PostgreSQL; PGlite in the smoke run):
//   - GET /manage/<token>: the manage page, cycling through many subscribers' links;
//   - GET /countries/<code>: the country pages (public, cached 5 minutes per process), cycling through the
//     catalog's countries;
//   - POST /unsubscribe/<token> with "List-Unsubscribe=One-Click" (RFC 8058): each request a different
//     subscriber's link, in order; when the requests outnumber the subscribers the list starts again
//     and those requests re-unsubscribe someone already unsubscribed (reported as `repeated`).
// autocannon runs in a third process (bench/web-load.ts); on a 2-core machine it competes with the server and
// PostgreSQL for the cores.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { connectPostgres, type Database } from "../db/client";
import { openPglite } from "../db/pglite";
import { linkFor } from "../src/tokens";
import { someSubscribers } from "./bench-queries";
import type { LoadJob, LoadResult } from "./web-load";
import { catalogCountryCodes } from "./catalog-countries";
import { buildNode } from "../src/cli/build-node.mjs";

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
  /** What `distinctSubscribers` counts when it is not subscribers (the country pages: pages). */
  distinctWhat?: string;
}

export interface WebOptions {
  /** The database of the morning run (its subscribers are used): a PostgreSQL URL or a PGlite folder. */
  kind: "postgres" | "pglite";
  location: string;
  connections: number;
  durationS: number;
  log?: (line: string) => void;
}

/** The web server, built to JavaScript first as `npm start` runs it (src/cli/build-node.mjs). */
export async function startServer(kind: WebOptions["kind"], location: string) {
  const [built] = await buildNode(["bench/web-server.ts"], "dist/bench");
  const flags = process.env.BENCH_SERVER_FLAGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, built!, JSON.stringify({ kind, location, secret: SECRET })], {
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

/**
 * Runs autocannon in its own process (bench/web-load.ts). `control`: told when the load has started, and
 * given a promise whose settling stops the run before its duration is up.
 */
export async function load(job: LoadJob, control: { onStarted?: () => void; stopWhen?: Promise<unknown> } = {}): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), "wd-web-load-"));
  try {
    const file = join(dir, "job.json");
    await writeFile(file, JSON.stringify(job));
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bench/web-load.ts"), file], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit", "ipc"] });
    void control.stopWhen?.finally(() => child.connected && child.send({ type: "stop" }));
    return await new Promise<LoadResult>((resolve, reject) => {
      child.on("message", (m: { started?: boolean; result?: LoadResult }) => {
        if (m.started) control.onStarted?.();
        if (m.result) resolve(m.result);
      });
      child.once("exit", (code) => reject(new Error(`autocannon process exited (${code})`)));
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A load run's latency figures (also the web-during-morning section's). */
export const latencyOf = (r: LoadResult) => ({
  requests: r.total,
  requestsPerSecond: r.perSecond,
  p50Ms: r.p50Ms,
  p99Ms: r.p99Ms,
  maxMs: r.maxMs,
  non2xx: r.non2xx,
  errors: r.errors,
});

function figures(endpoint: string, r: LoadResult, distinct: number): EndpointFigures {
  return {
    endpoint,
    ...latencyOf(r),
    distinctSubscribers: distinct,
  };
}

/** Signed manage links of `count` subscribers of the database (for the web server started by startServer). */
export function manageLinks(people: ReadonlyArray<{ id: string; tokenVersion: number }>, count: number): string[] {
  const at = new Date();
  return people.slice(0, count).map((s) => linkFor("", SECRET, "manage", s, at));
}

export async function benchWeb(options: WebOptions): Promise<EndpointFigures[]> {
  const say = options.log ?? (() => {});
  const database: Database = options.kind === "postgres" ? connectPostgres(options.location, { max: 2 }) : await openPglite(options.location);
  const people = await someSubscribers(database.db, 200_000);
  await database.close();
  if (people.length === 0) throw new Error("web benchmark: the database has no subscribers");
  const at = new Date();
  const manage = manageLinks(people, 10_000);
  const unsubscribe = people.map((s) => linkFor("", SECRET, "unsubscribe", s, at));
  const server = await startServer(options.kind, options.location);
  try {
    const base = `http://127.0.0.1:${await server.port}`;
    const common = { url: base, connections: options.connections, durationS: options.durationS };
    // A second's warm-up (JIT, connection pool), not measured (not in a smoke run).
    if (options.durationS > 1) await load({ ...common, durationS: 1, method: "GET", paths: [manage[0]!] });

    const get = await load({ ...common, method: "GET", paths: manage });
    const manageFigures = figures("GET /manage/<token>", get, Math.min(get.used, manage.length));
    say(`  manage page: ${manageFigures.requestsPerSecond} req/s, p50 ${manageFigures.p50Ms} ms, p99 ${manageFigures.p99Ms} ms`);

    const countryPaths = catalogCountryCodes.map((code) => `/countries/${code.toLowerCase()}`);
    const pages = await load({ ...common, method: "GET", paths: countryPaths });
    const countryFigures = { ...figures("GET /countries/<code>", pages, Math.min(pages.used, countryPaths.length)), distinctWhat: "country pages" };
    say(`  country pages: ${countryFigures.requestsPerSecond} req/s, p50 ${countryFigures.p50Ms} ms, p99 ${countryFigures.p99Ms} ms`);

    const post = await load({
      ...common,
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
      paths: unsubscribe,
    });
    const oneClick = { ...figures("POST /unsubscribe/<token> (one-click)", post, Math.min(post.used, unsubscribe.length)), repeated: Math.max(0, post.used - unsubscribe.length) };
    say(`  one-click unsubscribe: ${oneClick.requestsPerSecond} req/s, p50 ${oneClick.p50Ms} ms, p99 ${oneClick.p99Ms} ms (${oneClick.distinctSubscribers} subscribers)`);
    return [manageFigures, countryFigures, oneClick];
  } finally {
    await server.stop();
  }
}
