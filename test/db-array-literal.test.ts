// Array literals carry any text to PostgreSQL intact: quotes, backslashes, commas, braces, NULL, empty
// strings, the word "NULL", unicode — on PGlite and on PostgreSQL (DATABASE_URL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { textArray } from "../db/queries/array-literal";
import { layoutsArray } from "../db/queries/deliveries";
import { createTestDatabase, type TestDatabase } from "./helpers/db";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function roundTrip(values: Array<string | null>): Promise<Array<string | null>> {
  const result = (await database.db.execute(sql`select v from unnest(${textArray(values)}::text[]) with ordinality as t(v, n) order by n`)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ v: string | null }>;
  return rows.map((r) => r.v);
}

describe("textArray", () => {
  it("keeps awkward texts and nulls as they are", async () => {
    const values = ['a"b', "back\\slash", "c,d", "{e}", "", "NULL", null, " spaced ", '[{"story":1,"country":"JP"}]', "日本 🇯🇵", "\\\"", "tab\tnew\nline"];
    expect(await roundTrip(values)).toEqual(values);
  });

  it("keeps random texts", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.string({ unit: "grapheme", maxLength: 30 }).map((s) => s.replace(/\u0000/g, "")), { nil: null }), { maxLength: 20 }), async (values) => {
        expect(await roundTrip(values)).toEqual(values);
      }),
      { numRuns: 50 },
    );
  });

  it("layoutsArray writes exactly textArray of the layouts' JSON, which PostgreSQL reads back as the layouts", async () => {
    const entry = fc.record({
      story: fc.oneof(fc.integer(), fc.double()),
      country: fc.string({ unit: "grapheme", maxLength: 6 }).map((s) => s.replace(/\u0000/g, "")),
      lead: fc.integer(),
      alternatives: fc.array(fc.integer(), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(fc.array(fc.array(entry, { maxLength: 6 }), { maxLength: 6 }), (layouts) => {
        expect(layoutsArray(layouts)).toBe(textArray(layouts.map((l) => JSON.stringify(l))));
      }),
    );
    const layouts = [[{ story: 1, country: "JP", lead: 7, alternatives: [8, 9] }], [], [{ story: 2, country: 'a"b\\c', lead: 3, alternatives: [] }]];
    const result = (await database.db.execute(sql`select v::jsonb as l from unnest(${layoutsArray(layouts)}::text[]) with ordinality as t(v, n) order by n`)) as unknown;
    const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ l: unknown }>;
    expect(rows.map((r) => (typeof r.l === "string" ? JSON.parse(r.l) : r.l))).toEqual(layouts);
  });
});
