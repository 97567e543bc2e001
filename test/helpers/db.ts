// A fresh, migrated database per test file: PGlite in memory, or (DATABASE_URL set) a new PostgreSQL
// database created for this file and dropped afterwards, so test files never see each other's rows.
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { connectPostgres, type Database } from "../../db/client";
import { openPglite } from "../../db/pglite";
import { migrateDatabase } from "../../db/migrate";

export interface TestDatabase extends Database {
  /** Set for PostgreSQL: the URL of this file's own database. */
  url?: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) {
    const database = await openPglite(null);
    await migrateDatabase(database);
    return { ...database, drop: () => database.close() };
  }
  const name = `wd_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = withDatabase(baseUrl, name);
  const database = connectPostgres(url);
  await migrateDatabase(database, url);
  return {
    ...database,
    url,
    async drop() {
      await database.close();
      const cleanup = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
