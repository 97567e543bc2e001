// Node entry: `npm start`. Reads the configuration, opens (and migrates) the database, serves the app
// on PORT, and runs the scheduled jobs with node-cron. The only file with start-up side effects on Node.
import type { Deps } from "./deps";
import { createLogger } from "./log";
import { loadConfigOrExit, openDatabase } from "./node/environment";

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL);
// The database is opened first and the rest of the service loads meanwhile: creating the embedded
// database on a first start (PGlite's initdb) takes seconds, most of them off this thread.
const opening = openDatabase(config, log);

async function main() {
  const [database, { serve }, { createApp }, { systemClock }, { createNodeMailer }, { startJobs }] = await Promise.all([
    opening,
    import("@hono/node-server"),
    import("./app"),
    import("./clock"),
    import("./node/mailer"),
    import("./node/jobs"),
  ]);
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
