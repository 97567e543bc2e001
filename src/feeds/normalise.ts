// Raw feed → clean items (pure): plain text, absolute canonical http(s) links, real dates, primary language
// subtags; items without a usable title or link dropped; duplicates (same canonical URL or guid) dropped.
import { parseFeedDate } from "./dates";
import type { RawFeed, RawItem } from "./feed-formats";
import { htmlToText, truncateAtWord } from "./html-text";
import type { FeedItem } from "./types";
import { canonicalUrl, resolveHttpUrl } from "./urls";

export { parseFeedDate } from "./dates";
export { collapseWhitespace, decodeHtmlEntities, htmlToText, truncateAtWord } from "./html-text";
export { canonicalUrl, resolveHttpUrl } from "./urls";

export interface NormaliseOptions {
  /** Where the feed came from: the last base links are resolved against. */
  baseUrl: string;
  /** Stands in for missing, unreadable, implausibly old or future dates. */
  fetchedAt: Date;
  /** Used when neither the item nor the feed declares a language. */
  defaultLanguage: string;
}

export const SUMMARY_LENGTH = 300;
const TITLE_LENGTH = 300;
/** Dates before this are CMS defaults (the epoch, year 1) rather than publication dates. */
const OLDEST_PLAUSIBLE = Date.UTC(1995, 0, 1);
/** Clock skew tolerated before a date counts as "in the future". */
const FUTURE_SLACK_MS = 10 * 60_000;

/** "pt-BR" → "pt", "EN_us" → "en"; null when it is not a language tag. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  const primary = (tag ?? "").trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

/** "jane@example.com (Jane Doe)" → "Jane Doe"; plain text, at most 200 characters; null when empty. */
function cleanAuthor(raw: string | null): string | null {
  if (!raw) return null;
  const text = htmlToText(raw, 2_000);
  const named = /^\S+@\S+\s*\((.+)\)$/.exec(text);
  const author = truncateAtWord(named ? named[1]!.trim() : text, 200);
  return author || null;
}

interface Counts {
  noTitle: number;
  noLink: number;
  duplicate: number;
  noDate: number;
  future: number;
}

function itemDate(raw: string | null, fetchedAt: Date, counts: Counts): Date {
  const date = parseFeedDate(raw);
  if (!date || date.getTime() < OLDEST_PLAUSIBLE) {
    counts.noDate++;
    return fetchedAt;
  }
  if (date.getTime() > fetchedAt.getTime() + FUTURE_SLACK_MS) {
    counts.future++;
    return fetchedAt;
  }
  return date;
}

function itemLink(item: RawItem, bases: Array<string | null>): string | null {
  const resolved =
    resolveHttpUrl(item.link, ...bases) ??
    (item.guidIsLink || /^https?:\/\//i.test(item.guid ?? "") ? resolveHttpUrl(item.guid) : null);
  return resolved ? canonicalUrl(resolved) : null;
}

function summaryOf(item: RawItem, title: string): string {
  const source = item.summaryHtml.trim() ? item.summaryHtml : item.contentHtml;
  const text = truncateAtWord(htmlToText(source, 20_000), SUMMARY_LENGTH);
  return text === title ? "" : text;
}

export interface NormalisedFeed {
  title: string;
  language: string;
  items: FeedItem[];
  warnings: string[];
}

export function normaliseFeed(raw: RawFeed, options: NormaliseOptions): NormalisedFeed {
  const feedBase = resolveHttpUrl(raw.base, options.baseUrl)?.href ?? null;
  const channelLink = resolveHttpUrl(raw.link, feedBase, options.baseUrl)?.href ?? null;
  const language = primaryLanguage(raw.language) ?? primaryLanguage(options.defaultLanguage) ?? "und";
  const counts: Counts = { noTitle: 0, noLink: 0, duplicate: 0, noDate: 0, future: 0 };
  const seenLinks = new Set<string>();
  const seenGuids = new Set<string>();
  const items: FeedItem[] = [];

  for (const item of raw.items) {
    const title = truncateAtWord(htmlToText(item.titleHtml, 5_000), TITLE_LENGTH);
    if (!title) {
      counts.noTitle++;
      continue;
    }
    const itemBase = resolveHttpUrl(item.base, feedBase, channelLink, options.baseUrl)?.href ?? null;
    const link = itemLink(item, [itemBase, feedBase, channelLink, options.baseUrl]);
    if (!link) {
      counts.noLink++;
      continue;
    }
    const guid = item.guid ? item.guid.slice(0, 1_000) : null;
    if (seenLinks.has(link) || (guid && seenGuids.has(guid))) {
      counts.duplicate++;
      continue;
    }
    seenLinks.add(link);
    if (guid) seenGuids.add(guid);
    items.push({
      title,
      link,
      summary: summaryOf(item, title),
      published: itemDate(item.date, options.fetchedAt, counts),
      language: primaryLanguage(item.language) ?? language,
      author: cleanAuthor(item.author),
      guid,
    });
  }

  const warnings: string[] = [];
  if (counts.noTitle) warnings.push(`${counts.noTitle} item(s) dropped: no title`);
  if (counts.noLink) warnings.push(`${counts.noLink} item(s) dropped: no usable http(s) link`);
  if (counts.duplicate) warnings.push(`${counts.duplicate} duplicate item(s) dropped (same link or guid)`);
  if (counts.noDate) warnings.push(`${counts.noDate} item(s) without a usable date: used the fetch time`);
  if (counts.future) warnings.push(`${counts.future} item(s) dated in the future: used the fetch time`);
  return { title: truncateAtWord(htmlToText(raw.titleHtml, 5_000), 200), language, items, warnings };
}
