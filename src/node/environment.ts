// Node only: everything a process (server or CLI) needs before it can work — configuration, the data
// folder, the generated secret of the embedded default, the database (migrated) and the mailer.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { buildConfig, ConfigError, parseEnv, type Config } from "../config";
import { connectPostgres, type Database } from "../../db/client";
import { openPglite } from "../../db/pglite";
import { migrateDatabase } from "../../db/migrate";
import { createLogger, type Logger } from "../log";
import cron from "node-cron";
import { processRoleProblem } from "./process-role";

/** Reads (or creates, once) the secret kept in the data folder for the embedded default. */
function generatedSecret(dataDir: string): string {
  const file = join(dataDir, "app-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (err) {
    // A web and a jobs process started together: the other one created it first; both use that one
    // (read once its writer has written it: created and written are two steps).
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    for (let i = 0; i < 100; i++) {
      const written = readFileSync(file, "utf8").trim();
      if (written) return written;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
    throw err;
  }
  chmodSync(file, 0o600);
  return secret;
}

/** Parses the environment; on a bad value prints one line naming it and exits. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    const parsed = parseEnv(env);
    const dataDir = resolve(parsed.DATA_DIR);
    const needsGenerated = !parsed.APP_SECRET && parsed.NODE_ENV !== "production";
    for (const name of ["TICK_CRON", "INGEST_CRON"] as const) {
      if (!cron.validate(parsed[name])) throw new ConfigError(`Invalid configuration: ${name}: expects a cron expression such as */30 * * * *`);
    }
    const roleProblem = processRoleProblem(parsed);
    if (roleProblem) throw new ConfigError(`Invalid configuration: PROCESS_ROLE: ${roleProblem}`);
    return buildConfig(parsed, needsGenerated ? generatedSecret(dataDir) : undefined);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/** PostgreSQL when DATABASE_URL is set, else PGlite persisted in DATA_DIR/pglite; migrated either way. */
export async function openDatabase(config: Config, log: Logger = createLogger(config.LOG_LEVEL)): Promise<Database> {
  if (config.DATABASE_URL) {
    const database = connectPostgres(config.DATABASE_URL);
    await migrateDatabase(database, config.DATABASE_URL);
    log.info("database ready", { kind: "postgres" });
    return database;
  }
  const dir = join(resolve(config.DATA_DIR), "pglite");
  mkdirSync(dir, { recursive: true });
  const database = await openPglite(dir);
  await migrateDatabase(database);
  log.info("database ready", { kind: "pglite", dir });
  return database;
}

export function outboxDir(config: Config): string {
  return join(resolve(config.DATA_DIR), "outbox");
}
