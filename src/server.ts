// Node entry: `npm start`. Reads the configuration, opens (and migrates) the database, then runs what
// PROCESS_ROLE asks for (src/node/process-role.ts): the app on PORT, the scheduled jobs with node-cron, or
// both (the default). The only file with start-up side effects on Node.
import { serve } from "@hono/node-server";
import { createApp } from "./app";
import { systemClock } from "./clock";
import { createLogger } from "./log";
import { createEmbedder } from "./embeddings/create-embedder";
import type { Deps } from "./deps";
import { loadConfigOrExit, openDatabase } from "./node/environment";
import { createNodeMailer } from "./node/mailer";
import { startJobs } from "./node/jobs";
import { createMailDrainer } from "./node/mail-drainer";
import { partsOf } from "./node/process-role";

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL);

async function main() {
  const database = await openDatabase(config, log);
  const { mailer, outbox } = createNodeMailer(config, log);
  const deps: Deps = { db: database.db, dbKind: database.kind, config, clock: systemClock, mailer, log, embedder: createEmbedder(config), ...(outbox ? { outbox } : {}) };
  const role = config.PROCESS_ROLE;
  const parts = partsOf(role);
  // Confirmations and manage links are sent after the answer (the form answers alike for every address):
  // the web kicks the drainer; the jobs sweep the queue every minute (whatever a web-only process left).
  const drainer = createMailDrainer(deps);

  // HOST: loopback outside production (/dev/outbox lists live links), every interface in production.
  const server = parts.web
    ? serve({ fetch: createApp({ ...deps, mailQueued: drainer.kick }).fetch, port: config.PORT, hostname: config.HOST }, (info) => {
        log.info("listening", { url: config.publicUrl, host: config.HOST, port: info.port, role, database: database.kind, mail: outbox ? "local outbox" : "resend" });
        if (outbox && !config.production) log.info(`open ${config.publicUrl}/ to subscribe, ${config.publicUrl}/dev/outbox to read what was sent`);
      })
    : undefined;

  // A port already taken (another `npm start`?) is a setting to change, said in one line, not a stack trace.
  server?.on("error", (error: NodeJS.ErrnoException) => {
    const why = error.code === "EADDRINUSE" ? "is already in use" : error.code === "EACCES" ? "may not be used by this user" : `cannot be listened on (${error.code ?? error.message})`;
    log.error(`${config.HOST}:${config.PORT} ${why}: stop the other process or set PORT (or HOST) to another value`);
    void database.close().finally(() => process.exit(1));
  });

  const jobs = parts.jobs ? startJobs(deps, drainer) : undefined;
  if (!parts.web) log.info("running the scheduled jobs only", { role, tick: config.TICK_CRON, ingest: config.INGEST_CRON, database: database.kind, mail: outbox ? "local outbox" : "resend" });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    await jobs?.stop();
    await drainer.stop();
    server?.close();
    await database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: unknown) => {
  log.error("start-up failed", { error: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
