// Node entry: `npm start`. Reads the configuration, opens (and migrates) the database, serves the app
// on PORT, and runs the scheduled jobs with node-cron. The only file with start-up side effects on Node.
import { serve } from "@hono/node-server";
import { createApp } from "./app";
import { systemClock } from "./clock";
import { createLogger } from "./log";
import type { Deps } from "./deps";
import { loadConfigOrExit, openDatabase } from "./node/environment";
import { createNodeMailer } from "./node/mailer";
import { startJobs } from "./node/jobs";

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL);

async function main() {
  const database = await openDatabase(config, log);
  const { mailer, outbox } = createNodeMailer(config, log);
  const deps: Deps = { db: database.db, dbKind: database.kind, config, clock: systemClock, mailer, log, ...(outbox ? { outbox } : {}) };
  const app = createApp(deps);

  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    log.info("listening", { url: config.publicUrl, port: info.port, database: database.kind, mail: outbox ? "local outbox" : "resend" });
    if (outbox && !config.production) log.info(`open ${config.publicUrl}/ to subscribe, ${config.publicUrl}/dev/outbox to read what was sent`);
  });

  const jobs = startJobs(deps);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    await jobs.stop();
    server.close();
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
