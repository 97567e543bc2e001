// Reads RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 1.0/0.3 trees (as fast-xml-parser builds them) into one raw
// shape. Text elements are read by their format's rules down to characters (text-constructs.ts); HTML stays
// HTML, links stay relative, dates stay strings.
import { atomText, EMPTY_FIELD, rssHtml, rssMaybeHtml, type TextField } from "./text-constructs";
import type { FeedFormat } from "./types";
import { decodeXmlEntities } from "./xml-safety";

export interface RawItem {
  title: TextField;
  summary: TextField;
  content: TextField;
  link: string | null;
  /** xml:base on the link element itself (Atom). */
  linkBase: string | null;
  guid: string | null;
  /** RSS guid isPermaLink (default true); Atom ids and RDF abouts are not links unless absolute. */
  guidIsLink: boolean;
  /** isPermaLink="true" written out: a relative guid is then resolved like a link. */
  guidIsLinkDeclared: boolean;
  date: string | null;
  /** A name as written (may be HTML, may carry an e-mail address). */
  author: string | null;
  language: string | null;
  base: string | null;
}

export interface RawFeed {
  format: FeedFormat;
  title: TextField;
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

/** A simple text element (link, guid, date): entity-decoded and trimmed; null when empty. */
function text(value: unknown): string | null {
  const decoded = decodeXmlEntities(rawText(value)).trim();
  return decoded === "" ? null : decoded;
}

/** A name (author, creator): its characters, HTML entity names included; whether it is HTML is decided later. */
function name(value: unknown): string | null {
  const raw = rawText(value).trim();
  return raw === "" ? null : raw;
}

function attr(value: unknown, name: string): string | null {
  if (!isNode(value)) return null;
  const found = value[`@_${name}`];
  return typeof found === "string" ? decodeXmlEntities(found).trim() || null : null;
}

const field = (node: unknown, read: (raw: string) => TextField): TextField => (node === undefined ? EMPTY_FIELD : read(rawText(node)));

const dateNames = ["pubDate", "dc:date", "pubdate", "published", "updated", "a10:updated", "dcterms:modified", "dcterms:created"];

function rssItem(item: unknown): RawItem {
  const linkNode = first(item, "link");
  const guidNode = first(item, "guid");
  const permaLink = attr(guidNode, "isPermaLink")?.toLowerCase();
  return {
    title: field(first(item, "title", "dc:title"), rssMaybeHtml),
    summary: field(first(item, "description", "dc:description"), rssHtml),
    content: field(first(item, "content:encoded"), rssHtml),
    link: text(linkNode) ?? attr(linkNode, "href") ?? attr(first(item, "atom:link"), "href"),
    linkBase: null,
    guid: text(guidNode) ?? attr(item, "rdf:about"),
    guidIsLink: guidNode !== undefined ? permaLink !== "false" : false,
    guidIsLinkDeclared: permaLink === "true",
    date: text(first(item, ...dateNames)),
    author: name(first(item, "dc:creator", "author", "itunes:author")),
    language: text(first(item, "dc:language")) ?? attr(item, "xml:lang"),
    base: attr(item, "xml:base"),
  };
}

export function readRss(rss: unknown): RawFeed {
  const channel = first(rss, "channel");
  const items = [...all(channel, "item"), ...all(rss, "item")];
  return {
    format: "rss",
    title: field(first(channel, "title"), rssMaybeHtml),
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
    title: field(first(channel, "title", "dc:title"), rssMaybeHtml),
    link: text(first(channel, "link")),
    language: text(first(channel, "dc:language", "language")) ?? attr(rdf, "xml:lang"),
    base: attr(rdf, "xml:base"),
    items: items.map(rssItem),
  };
}

/** The entry's page: rel="alternate" (or no rel), preferring HTML, else the first link with an href. */
function atomLink(links: unknown[]): { href: string | null; base: string | null } {
  const withHref = links.filter((l) => attr(l, "href"));
  const alternates = withHref.filter((l) => (attr(l, "rel") ?? "alternate") === "alternate");
  const html = alternates.find((l) => /html/i.test(attr(l, "type") ?? "text/html"));
  const chosen = html ?? alternates[0] ?? withHref.find((l) => attr(l, "rel") !== "self") ?? withHref[0];
  if (chosen === undefined) return { href: links.map(text).find((t) => t !== null) ?? null, base: null };
  return { href: attr(chosen, "href"), base: attr(chosen, "xml:base") };
}

function atomAuthor(node: unknown): string | null {
  const author = first(node, "author");
  return name(first(author, "name")) ?? name(author);
}

/** An Atom text construct or content element (see atomText for type and mode). */
const atomField = (node: unknown): TextField =>
  node === undefined ? EMPTY_FIELD : atomText(rawText(node), attr(node, "type"), attr(node, "mode"));

export function readAtom(feed: unknown): RawFeed {
  const feedAuthor = atomAuthor(feed);
  const entries = all(feed, "entry").map((entry): RawItem => {
    const id = text(first(entry, "id"));
    const link = atomLink(all(entry, "link"));
    return {
      title: atomField(first(entry, "title")),
      summary: atomField(first(entry, "summary")),
      content: atomField(first(entry, "content")),
      link: link.href,
      linkBase: link.base,
      guid: id,
      guidIsLink: false,
      guidIsLinkDeclared: false,
      date: text(first(entry, "published", "updated", "issued", "modified", "created", "dc:date")),
      // The entry's own author, else the feed it was copied from (<source>), else this feed's.
      author: atomAuthor(entry) ?? name(first(entry, "dc:creator")) ?? atomAuthor(first(entry, "source")) ?? feedAuthor,
      language: attr(entry, "xml:lang"),
      base: attr(entry, "xml:base"),
    };
  });
  return {
    format: "atom",
    title: atomField(first(feed, "title")),
    link: atomLink(all(feed, "link")).href,
    language: attr(feed, "xml:lang"),
    base: attr(feed, "xml:base"),
    items: entries,
  };
}
