// The embedded default database (Node only): PGlite persisted in a folder, or in memory for tests.
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import * as schema from "./schema";
import type { Database, Db } from "./client";

/** `dir` null → in memory. */
export async function openPglite(dir: string | null): Promise<Database & { client: PGlite }> {
  const client = dir ? new PGlite(dir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", client, close: () => client.close() };
}
