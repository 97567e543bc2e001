// Raw feed → clean items (pure): plain text, absolute canonical http(s) links, real dates, primary language
// subtags; a title made from the description when an item has none; items without a usable title or link
// dropped; duplicates (same canonical URL or guid) dropped.
import { parseFeedDate } from "./dates";
import { DERIVED_TITLE_LENGTH, titleFromText } from "./derived-title";
import type { RawFeed, RawItem } from "./feed-formats";
import { htmlToText, maybeHtmlToText, plainText, truncateAtWord } from "./html-text";
import { xmlCharacters, type TextField } from "./text-constructs";
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

/** A text field → plain text, read the way its kind says (see text-constructs.ts); `need`: see htmlToText. */
export function fieldText(field: TextField, maxInput: number, need = Infinity): string {
  if (field.value === "") return "";
  if (field.kind === "html") return htmlToText(field.value, maxInput, need);
  if (field.kind === "text") return plainText(field.value, maxInput);
  return maybeHtmlToText(field.value, maxInput, need);
}

/** "jane@example.com (Jane Doe)" or "Jane Doe <jane@example.com>" → "Jane Doe"; at most 200 characters. */
function cleanAuthor(raw: string | null): string | null {
  if (!raw) return null;
  const text = maybeHtmlToText(xmlCharacters(raw), 2_000);
  const named = /^\S+@\S+\s*\((.+)\)$/.exec(text) ?? /^(.+?)\s*<[^<>\s]+@[^<>\s]+>$/.exec(text);
  const author = truncateAtWord(named ? named[1]!.trim() : text, 200);
  return author || null;
}

interface Counts {
  noTitle: number;
  derivedTitle: number;
  noLink: number;
  duplicate: number;
  noDate: number;
  future: number;
  undecodable: number;
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
  const linkBase = item.linkBase ? (resolveHttpUrl(item.linkBase, ...bases)?.href ?? null) : null;
  // The guid only when there is no link (a failed URL parse throws, which costs more than parsing).
  const resolved =
    resolveHttpUrl(item.link, linkBase, ...bases) ??
    (item.guidIsLinkDeclared ? resolveHttpUrl(item.guid, ...bases)
    : item.guidIsLink || /^https?:\/\//i.test(item.guid ?? "") ? resolveHttpUrl(item.guid)
    : null);
  return resolved ? canonicalUrl(resolved) : null;
}

/**
 * Characters of an item's text that are ever used: truncateAtWord reads 2 × SUMMARY_LENGTH + 2 UTF-16
 * units at most, titleFromText 4 × DERIVED_TITLE_LENGTH. Reading stops there (an article can be long).
 */
const TEXT_NEEDED = Math.max(2 * SUMMARY_LENGTH + 2, 4 * DERIVED_TITLE_LENGTH + 2);

/** Marks a description cut short by its feed: an ellipsis at its end, or WordPress's "[…]" anywhere. */
const cutMarker = /(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\))|(?:…|\.\.\.)\s*$/u;
const sentenceEnd = /[.!?。！？…"'”’»)]\s*$/u;

/**
 * The item's text, from its description (RSS) or summary (Atom) — unless that is a cut-down copy of its
 * full content (content:encoded, Atom content): marked as cut ("…", "[…]"), or a prefix of the content
 * that stops mid-sentence. A complete description is a summary in its own right and is kept.
 */
function itemText(item: RawItem, counts: Counts): string {
  if (item.summary.undecodable || item.content.undecodable) counts.undecodable++;
  const description = fieldText(item.summary, 20_000, TEXT_NEEDED);
  // A description this long gives a whole summary (and title) whatever follows it.
  if (item.content.value.trim() === "" || description.length >= TEXT_NEEDED) return description;
  const marked = cutMarker.exec(description);
  if (description && !marked && sentenceEnd.test(description)) return description;
  const content = fieldText(item.content, 20_000, TEXT_NEEDED);
  if (!description) return content;
  if (marked) {
    const kept = description.slice(0, marked.index).trim();
    return content.length > kept.length ? content : description;
  }
  return content.length > description.length && content.startsWith(description) ? content : description;
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
  const counts: Counts = { noTitle: 0, derivedTitle: 0, noLink: 0, duplicate: 0, noDate: 0, future: 0, undecodable: 0 };
  const seenLinks = new Set<string>();
  const seenGuids = new Set<string>();
  const items: FeedItem[] = [];

  for (const item of raw.items) {
    if (item.title.undecodable) counts.undecodable++;
    let title = truncateAtWord(fieldText(item.title, 5_000), TITLE_LENGTH);
    const text = itemText(item, counts);
    const titleDerived = title === "" && text !== "";
    if (titleDerived) title = titleFromText(text);
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
    if (titleDerived) counts.derivedTitle++;
    const summary = truncateAtWord(text, SUMMARY_LENGTH);
    items.push({
      title,
      titleDerived,
      link,
      // A summary that only repeats the outlet's title says nothing; a title we made says less than its text.
      summary: summary === title && !titleDerived ? "" : summary,
      published: itemDate(item.date, options.fetchedAt, counts),
      language: primaryLanguage(item.language) ?? language,
      author: cleanAuthor(item.author),
      guid,
    });
  }

  const warnings: string[] = [];
  if (counts.noTitle) warnings.push(`${counts.noTitle} item(s) dropped: no title, and no text to make one from`);
  if (counts.derivedTitle) warnings.push(`${counts.derivedTitle} item(s) without a title: titled with their text's first sentence`);
  if (counts.noLink) warnings.push(`${counts.noLink} item(s) dropped: no usable http(s) link`);
  if (counts.duplicate) warnings.push(`${counts.duplicate} duplicate item(s) dropped (same link or guid)`);
  if (counts.noDate) warnings.push(`${counts.noDate} item(s) without a usable date: used the fetch time`);
  if (counts.future) warnings.push(`${counts.future} item(s) dated in the future: used the fetch time`);
  if (counts.undecodable) warnings.push(`${counts.undecodable} base64 text(s) that are not text left out`);
  return { title: truncateAtWord(fieldText(raw.title, 5_000), 200), language, items, warnings };
}
