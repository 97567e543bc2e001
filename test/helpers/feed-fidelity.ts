// The feed-fidelity fixtures (test/fixtures/feed-fidelity): feeds written from the RSS 2.0, RSS 1.0 (RDF),
// Atom 1.0 and Atom 0.3 specifications and their common abuses, each with the items a reader should get,
// field by field. Used by test/feeds-fidelity.test.ts (in process) and bench/feed-fidelity.ts (through
// `npm run feed -- FILE`, as a user runs it).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const fidelityDir = fileURLToPath(new URL("../fixtures/feed-fidelity/", import.meta.url));

/** The fields `npm run feed` prints for an item. */
export const ITEM_FIELDS = ["title", "link", "summary", "published", "language", "author"] as const;
export type ItemField = (typeof ITEM_FIELDS)[number];
export type PrintedItem = Record<ItemField, string | null>;

export interface FidelityCase {
  /** Path under test/fixtures/feed-fidelity. */
  file: string;
  /** What the case is about: c1-controls, html-once, base64, no-title, spec-corners, hostile. */
  kind: string;
  about: string;
  /** The items expected, in order; only the fields given are compared. */
  items?: Array<Partial<PrintedItem>>;
  /** Instead of items: the feed is refused with an error containing this. */
  error?: string;
}

export type FeedOutcome = { items: PrintedItem[] } | { error: string };

export function fidelityCases(): FidelityCase[] {
  return JSON.parse(readFileSync(`${fidelityDir}cases.json`, "utf8")) as FidelityCase[];
}

export interface CaseResult {
  case: FidelityCase;
  /** Fields compared (an item count or an expected error counts as one). */
  fields: number;
  /** Human-readable differences; empty when the case reads right. */
  misses: string[];
}

export function compareCase(c: FidelityCase, outcome: FeedOutcome): CaseResult {
  const misses: string[] = [];
  let fields = 0;
  if (c.error !== undefined) {
    fields = 1;
    if (!("error" in outcome)) misses.push(`expected an error containing "${c.error}", got ${outcome.items.length} item(s)`);
    else if (!outcome.error.includes(c.error)) misses.push(`expected an error containing "${c.error}", got "${outcome.error}"`);
    return { case: c, fields, misses };
  }
  const expected = c.items ?? [];
  fields = 1;
  if ("error" in outcome) return { case: c, fields, misses: [`expected ${expected.length} item(s), got the error "${outcome.error}"`] };
  if (outcome.items.length !== expected.length) misses.push(`expected ${expected.length} item(s), got ${outcome.items.length}`);
  expected.forEach((want, i) => {
    const got = outcome.items[i];
    for (const field of ITEM_FIELDS) {
      if (!(field in want)) continue;
      fields++;
      const actual = got ? got[field] : undefined;
      if (actual !== want[field]) misses.push(`item ${i + 1} ${field}: expected ${JSON.stringify(want[field])}, got ${JSON.stringify(actual)}`);
    }
  });
  return { case: c, fields, misses };
}
