// Shapes shared by the feed code and its callers (ingest pipeline, CLI, sample content).

/** One normalised feed item: plain text, absolute canonical http(s) link, a real date. */
export interface FeedItem {
  /** Plain text, tags stripped, entities decoded, whitespace collapsed. Never empty. */
  title: string;
  /** The outlet gave no title: `title` is the first sentence of the item's text (see derived-title.ts). */
  titleDerived: boolean;
  /** Canonical http(s) URL: resolved against the feed's base, tracking parameters and fragment removed. */
  link: string;
  /** Plain text, cut at a word boundary around 300 characters (with "…" when cut). May be empty. */
  summary: string;
  /** From the item's date; the fetch time when the item has none (or an unusable one). */
  published: Date;
  /** Primary language subtag, lower case ("pt-BR" → "pt"): the item's, else the feed's, else the default. */
  language: string;
  author: string | null;
  guid: string | null;
}

export type FeedFormat = "rss" | "rdf" | "atom";

export interface ParsedFeed {
  format: FeedFormat;
  /** Plain-text feed title ("" when the feed has none). */
  title: string;
  /** Primary subtag of the feed's declared language, or the default. */
  language: string;
  items: FeedItem[];
  /** Things worth an operator's eye that did not stop the parse (dropped items, bad dates, charset trouble). */
  warnings: string[];
}

/** An outlet as kept in the catalog (db/sources.ts) and seeded into the `sources` table. */
export interface SourceRecord {
  /** Unique, kebab-case, starts with the lower-case country code ("jp-nhk"). */
  slug: string;
  name: string;
  /** ISO 3166-1 alpha-2 from src/countries.ts; "US" for reference outlets. */
  country: string;
  homepage: string;
  feedUrl: string;
  /** Primary language subtag of the outlet ("ja"). */
  language: string;
  /** US outlets used only to detect US coverage; never shown in digests. */
  isReference: boolean;
  /** Offline demo content written for this project (db/sample-feeds). */
  isSample: boolean;
}
