// What one Node process runs (PROCESS_ROLE): the web (HTTP: pages, API, webhooks), the jobs (the digest
// tick and feed ingestion on their schedules), or both — `all`, the default and what `npm start` has always
// done. Splitting them keeps the web's event loop free while a morning is rendered and sent: a reader who
// unsubscribes at 07:00 is not queued behind digest rendering. Any number of `jobs` processes may share one
// PostgreSQL (planning and sending take disjoint rows); the embedded PGlite is one database in one process,
// so without DATABASE_URL only `all` runs. Pure: src/server.ts acts on it, environment.ts refuses a split.
import type { Env } from "../config";

export type ProcessRole = Env["PROCESS_ROLE"];

/** The parts a process of this role runs. */
export function partsOf(role: ProcessRole): { web: boolean; jobs: boolean } {
  return { web: role !== "jobs", jobs: role !== "web" };
}

/** Why this role cannot run with this database, or null. */
export function processRoleProblem(env: Pick<Env, "PROCESS_ROLE" | "DATABASE_URL">): string | null {
  if (env.PROCESS_ROLE === "all" || env.DATABASE_URL) return null;
  return (
    `${env.PROCESS_ROLE} needs DATABASE_URL (PostgreSQL): the embedded PGlite database is opened by one process, ` +
    "so without DATABASE_URL the web and the jobs run together (PROCESS_ROLE=all, the default)"
  );
}
