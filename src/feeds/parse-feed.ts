// Feed text → normalised items. fast-xml-parser runs with entity processing off and DOCTYPEs that declare
// entities refused beforehand (see xml-safety.ts); text elements are kept raw so CDATA, escaped HTML and
// inline XHTML are all read the same way. Throws FeedParseError (with a clear message) and nothing else.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { decodeFeed } from "./decode";
import { readAtom, readRdf, readRss, type RawFeed } from "./feed-formats";
import { normaliseFeed, type NormaliseOptions } from "./normalise";
import type { ParsedFeed } from "./types";
import { FeedParseError, stripSafeDoctype } from "./xml-safety";

export { FeedParseError } from "./xml-safety";
export type ParseOptions = NormaliseOptions;

/** A feed with more items than this is cut (and says so): no real outlet publishes that many at once. */
export const MAX_ITEMS = 1_000;

const reservedNames = new Set(["__proto__", "constructor", "prototype"]);
const safeName = (name: string) => (reservedNames.has(name) ? `x-${name}` : name);
const textElements = ["title", "description", "summary", "content", "content:encoded", "dc:description", "dc:title"];

function createParser(): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // An element called "constructor" would otherwise make the parser throw; renamed, it is just ignored.
    transformTagName: safeName,
    transformAttributeName: safeName,
    stopNodes: textElements.map((name) => `*.${name}`),
    isArray: (name) => ["item", "entry", "link", "author"].includes(name),
    // The callbacks above look at names only: no path string built for every element.
    jPath: false,
  });
}

/** Built once: building a parser compiles its options (stop-node paths) each time. parse() keeps no state. */
let parser: XMLParser | undefined;

function rootName(tree: Record<string, unknown>): string | undefined {
  return Object.keys(tree).find((key) => !key.startsWith("?") && key !== "#text");
}

function readTree(tree: Record<string, unknown>): RawFeed {
  const root = rootName(tree);
  if (root === "rss") return readRss(tree[root]);
  if (root === "rdf:RDF" || root === "RDF" || root?.endsWith(":RDF")) return readRdf(tree[root]);
  if (root === "feed") return readAtom(tree[root]);
  if (root === undefined) throw new FeedParseError("not a feed: no XML element found");
  if (/^html$/i.test(root)) throw new FeedParseError("not a feed: got an HTML page");
  throw new FeedParseError(`not a feed: root element <${root.slice(0, 40)}> is not rss, rdf:RDF or feed`);
}

/** Parses RSS 0.9x/2.0, RSS 1.0 (RDF) or Atom 1.0 text into normalised items. */
export function parseFeed(xml: string, options: ParseOptions): ParsedFeed {
  const warnings: string[] = [];
  const body = stripSafeDoctype(xml);
  if (!/<[A-Za-z]/.test(body)) throw new FeedParseError("not a feed: no XML element found");

  const validation = XMLValidator.validate(body);
  const problem = validation === true ? null : `line ${validation.err.line}: ${validation.err.msg}`;
  let tree: Record<string, unknown>;
  try {
    tree = (parser ??= createParser()).parse(body) as Record<string, unknown>;
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ");
    throw new FeedParseError(`malformed XML (${reason.slice(0, 200)})`);
  }
  if (problem) warnings.push(`malformed XML, read leniently (${problem.slice(0, 200)})`);

  const raw = readTree(tree);
  if (raw.items.length > MAX_ITEMS) {
    warnings.push(`${raw.items.length} items; only the first ${MAX_ITEMS} were read`);
    raw.items = raw.items.slice(0, MAX_ITEMS);
  }
  const feed = normaliseFeed(raw, options);
  return { format: raw.format, ...feed, warnings: [...warnings, ...feed.warnings] };
}

/** Bytes as fetched (or read) → decoded (see decode.ts) and parsed; decoding warnings come first. */
export function parseFeedBytes(
  bytes: Uint8Array,
  contentType: string | null | undefined,
  options: ParseOptions,
): ParsedFeed & { encoding: string } {
  const decoded = decodeFeed(bytes, contentType);
  const feed = parseFeed(decoded.text, options);
  return { ...feed, encoding: decoded.encoding, warnings: [...decoded.warnings, ...feed.warnings] };
}
