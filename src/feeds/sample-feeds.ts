// Offline demo content: feeds written for this project (db/sample-feeds), read through the same decoder,
// parser and normaliser as real feeds. Their dates are shifted so the newest sample item is always two
// hours old, keeping the spacing between items: the demo looks fresh whenever it runs.
// Node only (reads the files): the Worker has no sample content.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { collapseWhitespace } from "./html-text";
import { parseFeedBytes } from "./parse-feed";
import { isSampleFeedUrl, SAMPLE_URL_PREFIX } from "./sample-url";
import type { FeedItem, ParsedFeed, SourceRecord } from "./types";

export { isSampleFeedUrl, SAMPLE_URL_PREFIX };

export interface SampleOutlet {
  slug: string;
  name: string;
  country: string;
  language: string;
  homepage: string;
  /** File name in db/sample-feeds. */
  file: string;
  format: "rss" | "rdf" | "atom";
  /** The encoding the file is saved in (real bytes, e.g. shift_jis). */
  encoding: string;
  isReference: boolean;
}

interface SampleManifest {
  /** The newest item date over all sample feeds: the anchor the shift is computed from. */
  newestItemAt: string;
  outlets: SampleOutlet[];
}

/** How old the newest sample item looks at any `now`. */
export const SAMPLE_NEWEST_AGE_MS = 2 * 60 * 60 * 1000;

export const sampleFeedsDir = fileURLToPath(new URL("../../db/sample-feeds/", import.meta.url));

let manifest: SampleManifest | undefined;
let translations: ReadonlyMap<string, string> | undefined;

export function sampleManifest(): SampleManifest {
  manifest ??= JSON.parse(readFileSync(`${sampleFeedsDir}index.json`, "utf8")) as SampleManifest;
  return manifest;
}

/** The sample outlets as source records (isSample: true), ready to seed the sources table. */
export function sampleSources(): SourceRecord[] {
  return sampleManifest().outlets.map((outlet) => ({
    slug: outlet.slug,
    name: outlet.name,
    country: outlet.country,
    homepage: outlet.homepage,
    feedUrl: `${SAMPLE_URL_PREFIX}${outlet.slug}`,
    language: outlet.language,
    isReference: outlet.isReference,
    isSample: true,
  }));
}

/**
 * English for every non-English sample title and summary (original plain text, as the normaliser outputs
 * it → English), so the demo reads in English without a translation service.
 */
export function sampleTranslations(): ReadonlyMap<string, string> {
  if (!translations) {
    const table = JSON.parse(readFileSync(`${sampleFeedsDir}translations.json`, "utf8")) as Record<string, string>;
    translations = new Map(Object.entries(table).map(([original, english]) => [collapseWhitespace(original), english]));
  }
  return translations;
}

/** The English of one sample text, or undefined when the table does not have it. */
export function sampleTranslation(original: string): string | undefined {
  return sampleTranslations().get(collapseWhitespace(original));
}

/** Milliseconds to add to every sample date so the newest item is SAMPLE_NEWEST_AGE_MS before `now`. */
export function sampleShiftMs(now: Date): number {
  return now.getTime() - SAMPLE_NEWEST_AGE_MS - Date.parse(sampleManifest().newestItemAt);
}

/** A sample feed, parsed like a fetched one, dates shifted to `now`. Throws if the slug is not a sample. */
export async function readSampleFeed(slug: string, now: Date): Promise<ParsedFeed & { encoding: string }> {
  const outlet = sampleManifest().outlets.find((o) => o.slug === slug);
  if (!outlet) throw new Error(`no sample feed called "${slug}"`);
  const bytes = new Uint8Array(await readFile(`${sampleFeedsDir}${outlet.file}`));
  const anchor = new Date(sampleManifest().newestItemAt);
  const feed = parseFeedBytes(bytes, null, { baseUrl: outlet.homepage, fetchedAt: anchor, defaultLanguage: outlet.language });
  const shift = sampleShiftMs(now);
  return { ...feed, items: feed.items.map((item) => ({ ...item, published: new Date(item.published.getTime() + shift) })) };
}

/** The normalised items of one sample feed, dates shifted so the newest sample item is two hours before `now`. */
export async function loadSampleFeed(slug: string, now: Date): Promise<FeedItem[]> {
  return (await readSampleFeed(slug, now)).items;
}
