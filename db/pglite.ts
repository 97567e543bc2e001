// The embedded default database (Node only): PGlite persisted in a folder, or in memory for tests.
// PGlite and its drizzle driver are loaded when a database is opened, not with this module: a process on
// PostgreSQL (every process of a split deployment) never needs them (~1–2 MB of heap, ~12 MB of RSS).
import type { PGlite } from "@electric-sql/pglite";
import * as schema from "./schema";
import type { Database, Db } from "./client";

/** `dir` null → in memory. */
export async function openPglite(dir: string | null): Promise<Database & { client: PGlite }> {
  const [{ PGlite }, { drizzle }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
  const client = dir ? new PGlite(dir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", client, close: () => client.close() };
}
