// Reads RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0 trees (as fast-xml-parser builds them) into one raw shape.
// Nothing is cleaned here: text elements stay HTML, links stay relative, dates stay strings.
import type { FeedFormat } from "./types";
import { decodeXmlEntities, innerXmlToHtml } from "./xml-safety";

export interface RawItem {
  titleHtml: string;
  summaryHtml: string;
  contentHtml: string;
  link: string | null;
  guid: string | null;
  /** RSS guid isPermaLink (default true); Atom ids and RDF abouts are not links unless absolute. */
  guidIsLink: boolean;
  date: string | null;
  author: string | null;
  language: string | null;
  base: string | null;
}

export interface RawFeed {
  format: FeedFormat;
  titleHtml: string;
  link: string | null;
  language: string | null;
  base: string | null;
  items: RawItem[];
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function all(node: unknown, name: string): unknown[] {
  if (!isNode(node)) return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function first(node: unknown, ...names: string[]): unknown {
  for (const name of names) {
    const found = all(node, name)[0];
    if (found !== undefined) return found;
  }
  return undefined;
}

function rawText(value: unknown): string {
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (isNode(value) && value["#text"] !== undefined) return rawText(value["#text"]);
  return "";
}

/** A simple text element (link, guid, date, name): entity-decoded and trimmed; null when empty. */
function text(value: unknown): string | null {
  const decoded = decodeXmlEntities(rawText(value)).trim();
  return decoded === "" ? null : decoded;
}

/** A text construct kept raw by the parser (title, description, summary, content) → HTML. */
function rich(value: unknown): string {
  return innerXmlToHtml(rawText(value));
}

function attr(value: unknown, name: string): string | null {
  if (!isNode(value)) return null;
  const found = value[`@_${name}`];
  return typeof found === "string" ? decodeXmlEntities(found).trim() || null : null;
}

const dateNames = ["pubDate", "dc:date", "pubdate", "published", "updated", "a10:updated", "dcterms:modified", "dcterms:created"];

function rssItem(item: unknown): RawItem {
  const linkNode = first(item, "link");
  const guidNode = first(item, "guid");
  return {
    titleHtml: rich(first(item, "title", "dc:title")),
    summaryHtml: rich(first(item, "description", "dc:description")),
    contentHtml: rich(first(item, "content:encoded")),
    link: text(linkNode) ?? attr(linkNode, "href") ?? attr(first(item, "atom:link"), "href"),
    guid: text(guidNode) ?? attr(item, "rdf:about"),
    guidIsLink: guidNode !== undefined ? attr(guidNode, "isPermaLink")?.toLowerCase() !== "false" : false,
    date: text(first(item, ...dateNames)),
    author: text(first(item, "dc:creator", "author", "itunes:author")),
    language: text(first(item, "dc:language")) ?? attr(item, "xml:lang"),
    base: attr(item, "xml:base"),
  };
}

export function readRss(rss: unknown): RawFeed {
  const channel = first(rss, "channel");
  const items = [...all(channel, "item"), ...all(rss, "item")];
  return {
    format: "rss",
    titleHtml: rich(first(channel, "title")),
    link: all(channel, "link").map(text).find((l) => l !== null) ?? null,
    language: text(first(channel, "language", "dc:language")) ?? attr(channel, "xml:lang") ?? attr(rss, "xml:lang"),
    base: attr(channel, "xml:base") ?? attr(rss, "xml:base"),
    items: items.map(rssItem),
  };
}

export function readRdf(rdf: unknown): RawFeed {
  const channel = first(rdf, "channel");
  const items = [...all(rdf, "item"), ...all(channel, "item").filter(isNode).filter((i) => "title" in i)];
  return {
    format: "rdf",
    titleHtml: rich(first(channel, "title", "dc:title")),
    link: text(first(channel, "link")),
    language: text(first(channel, "dc:language", "language")) ?? attr(rdf, "xml:lang"),
    base: attr(rdf, "xml:base"),
    items: items.map(rssItem),
  };
}

/** The entry's page: rel="alternate" (or no rel), preferring HTML, else the first link with an href. */
function atomLink(links: unknown[]): string | null {
  const withHref = links.filter((l) => attr(l, "href"));
  const alternates = withHref.filter((l) => (attr(l, "rel") ?? "alternate") === "alternate");
  const html = alternates.find((l) => /html/i.test(attr(l, "type") ?? "text/html"));
  const chosen = html ?? alternates[0] ?? withHref.find((l) => attr(l, "rel") !== "self") ?? withHref[0];
  return chosen === undefined ? (links.map(text).find((t) => t !== null) ?? null) : attr(chosen, "href");
}

function atomAuthor(node: unknown): string | null {
  const author = first(node, "author");
  return text(first(author, "name")) ?? text(author);
}

export function readAtom(feed: unknown): RawFeed {
  const feedAuthor = atomAuthor(feed);
  const entries = all(feed, "entry").map((entry): RawItem => {
    const id = text(first(entry, "id"));
    return {
      titleHtml: rich(first(entry, "title")),
      summaryHtml: rich(first(entry, "summary")),
      contentHtml: rich(first(entry, "content")),
      link: atomLink(all(entry, "link")),
      guid: id,
      guidIsLink: false,
      date: text(first(entry, "published", "updated", "issued", "modified", "created", "dc:date")),
      author: atomAuthor(entry) ?? text(first(entry, "dc:creator")) ?? feedAuthor,
      language: attr(entry, "xml:lang"),
      base: attr(entry, "xml:base"),
    };
  });
  return {
    format: "atom",
    titleHtml: rich(first(feed, "title")),
    link: atomLink(all(feed, "link")),
    language: attr(feed, "xml:lang"),
    base: attr(feed, "xml:base"),
    items: entries,
  };
}
