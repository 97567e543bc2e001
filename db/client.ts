// The database handle type shared by every query function, and the postgres.js connection
// (the only driver that also runs on Cloudflare Workers). The embedded PGlite lives in db/pglite.ts (Node only).
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/postgres-js";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import * as schema from "./schema";

/** A drizzle database or transaction on either driver. Query functions take it first. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
}

export interface PostgresOptions {
  /** Pool size; Workers through Hyperdrive want very few. */
  max?: number;
}

export function connectPostgres(url: string, options: PostgresOptions = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Hyperdrive and pgbouncer-style poolers do not keep prepared statements across clients.
    prepare: options.max === undefined ? true : false,
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
}

/** True when a trivial query answers (for /healthz). */
export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}
