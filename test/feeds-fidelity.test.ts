// Every fixture of test/fixtures/feed-fidelity read through loadFeed with local files allowed — the code
// path of `npm run feed -- FILE` — and compared field by field with what the fixture expects.
// (`npm run feeds:fidelity` runs the same cases through the CLI itself and prints figures by kind.)
import { describe, expect, it } from "vitest";
import { loadFeed } from "../src/node/feeds";
import { compareCase, fidelityCases, fidelityDir, ITEM_FIELDS, type FeedOutcome, type PrintedItem } from "./helpers/feed-fidelity";

const now = new Date("2025-03-12T12:00:00Z");

async function read(file: string): Promise<FeedOutcome> {
  const result = await loadFeed({ url: `${fidelityDir}${file}` }, { now, allowFiles: true, allowPrivate: false, timeoutMs: 1_000, maxBytes: 5_000_000, userAgent: "test" });
  if (result.status === "error") return { error: `error (${result.code}): ${result.error}` };
  if (result.status === "not-modified") return { error: "not modified" };
  return {
    items: result.feed.items.map((item) => {
      const printed = { ...item, published: item.published.toISOString() };
      return Object.fromEntries(ITEM_FIELDS.map((f) => [f, printed[f]])) as PrintedItem;
    }),
  };
}

const cases = fidelityCases();

describe("feed fidelity fixtures", () => {
  it("cover every kind of the issue and the specifications' corners", () => {
    const kinds = new Map<string, number>();
    for (const c of cases) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
    for (const kind of ["c1-controls", "html-once", "base64", "no-title", "spec-corners", "hostile"]) expect(kinds.get(kind) ?? 0).toBeGreaterThanOrEqual(2);
  });

  for (const c of cases) {
    it(`${c.kind}: ${c.about}`, async () => {
      expect(compareCase(c, await read(c.file)).misses).toEqual([]);
    });
  }
});
