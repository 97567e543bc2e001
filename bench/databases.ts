// Databases for the benchmark: a fresh PostgreSQL database created (and dropped) by the bench, a PGlite
// folder, and connections that count every statement they send (the "round trips" of the report).
//   PostgreSQL: postgres.js calls `debug` once per statement written to the wire, begin/commit included.
//   PGlite: its query / exec / transaction methods are wrapped (begin and commit count as two).
import { randomBytes } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database, Db } from "../db/client";
import { migrateDatabase } from "../db/migrate";
import * as schema from "../db/schema";

export interface CountingDatabase extends Database {
  statements(): number;
}

export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres";

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates and migrates a new database next to `baseUrl`'s; `drop()` removes it. */
export async function createPostgresDatabase(baseUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `wd_bench_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
    // Profiling aid: every statement's duration in the server log.
    if (process.env.BENCH_PG_LOG) await admin.unsafe(`alter database ${name} set log_min_duration_statement = 0`);
    // And the plan of every statement slower than 15 ms, with actual row counts (auto_explain).
    if (process.env.BENCH_PG_EXPLAIN) {
      await admin.unsafe(`alter database ${name} set session_preload_libraries = 'auto_explain'`);
      await admin.unsafe(`alter database ${name} set auto_explain.log_min_duration = 15`);
      await admin.unsafe(`alter database ${name} set auto_explain.log_analyze = on`);
    }
  } finally {
    await admin.end();
  }
  const url = withDatabase(baseUrl, name);
  const database = connectCountingPostgres(url, 1);
  await migrateDatabase(database, url);
  await database.close();
  return {
    url,
    name,
    drop: async () => {
      const cleanup = postgres(baseUrl, { max: 1, onnotice: () => {} });
      try {
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** Like db/client.ts's connectPostgres, counting statements. */
export function connectCountingPostgres(url: string, max = 10): CountingDatabase {
  let statements = 0;
  const client = postgres(url, {
    max,
    onnotice: () => {},
    debug: () => {
      statements++;
    },
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return { db, kind: "postgres", statements: () => statements, close: () => client.end({ timeout: 5 }) };
}

type Query = PGlite["query"];
type Exec = PGlite["exec"];

/** Like db/pglite.ts's openPglite, counting statements. */
export async function openCountingPglite(dir: string | null): Promise<CountingDatabase & { client: PGlite }> {
  // Loaded here, as db/pglite.ts does: a sending process on PostgreSQL does not carry PGlite.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
  const client = dir ? new PGlite(dir) : new PGlite();
  await client.waitReady;
  let statements = 0;
  const wrapQuery = (target: { query: Query; exec: Exec }) => {
    const query = target.query.bind(target) as Query;
    const exec = target.exec.bind(target) as Exec;
    target.query = ((...args: Parameters<Query>) => {
      statements++;
      return query(...args);
    }) as Query;
    target.exec = ((...args: Parameters<Exec>) => {
      statements++;
      return exec(...args);
    }) as Exec;
  };
  wrapQuery(client);
  const transaction = client.transaction.bind(client);
  client.transaction = ((fn: Parameters<PGlite["transaction"]>[0]) =>
    transaction((tx) => {
      statements += 2;
      wrapQuery(tx as unknown as { query: Query; exec: Exec });
      return fn(tx);
    })) as PGlite["transaction"];
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return { db, kind: "pglite", client, statements: () => statements, close: () => client.close() };
}

export async function migrated<T extends Database>(database: T, url?: string): Promise<T> {
  await migrateDatabase(database, url);
  return database;
}
