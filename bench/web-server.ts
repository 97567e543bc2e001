// The web benchmark's server: the real app (createApp) on a real listening socket (@hono/node-server),
// on the benchmark's database (PostgreSQL, or a PGlite folder), in its own process — like src/server.ts without the scheduled
// jobs (no tick or ingestion may run while the endpoints are measured). Reports its port over IPC.
//   node --import tsx bench/web-server.ts '<json { kind, location, secret }>'
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { connectPostgres, type Database } from "../db/client";
import { openPglite } from "../db/pglite";
import { createApp } from "../src/app";
import { testConfig } from "../src/config";
import { systemClock } from "../src/clock";
import type { Deps } from "../src/deps";
import { createLogger } from "../src/log";

const { kind, location, secret } = JSON.parse(process.argv[2] ?? "{}") as { kind: "postgres" | "pglite"; location: string; secret: string };
const database: Database = kind === "postgres" ? connectPostgres(location) : await openPglite(location);
const config = testConfig({ publicUrl: "http://127.0.0.1", appSecret: secret });
const deps: Deps = {
  db: database.db,
  dbKind: database.kind,
  config,
  clock: systemClock,
  // The measured routes send nothing; anything that tries is a mistake worth seeing.
  mailer: { sendBatch: async () => ({ kind: "failed", retryable: false, error: "no mail in the web benchmark" }) },
  // One JSON line per event on stdout, as in production (the parent discards it).
  log: createLogger("info"),
};
const server = serve({ fetch: createApp(deps).fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
  process.send!({ type: "listening", port: info.port });
});
process.on("message", (m: { type: string }) => {
  if (m.type !== "stop") return;
  server.close();
  void database.close().then(() => process.exit(0));
});
