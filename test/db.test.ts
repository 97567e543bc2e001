import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { pingDatabase } from "../db/client";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe("database", () => {
  it("is migrated and answers", async () => {
    expect(await pingDatabase(database.db)).toBe(true);
    const rows = await database.db.execute(sql`select count(*)::int as n from subscribers`);
    const first = (Array.isArray(rows) ? rows[0] : (rows as { rows: unknown[] }).rows[0]) as { n: number };
    expect(first.n).toBe(0);
  });
});
