// What stands between untrusted XML and the parser: a DOCTYPE that declares entities (billion laughs,
// external entities / XXE) is refused before parsing, and the parser runs with entity processing off, so no
// DTD-declared entity is ever expanded. The five XML entities and character references of simple elements (links, dates) are decoded here;
// text elements are read in text-constructs.ts.

export class FeedParseError extends Error {
  override name = "FeedParseError";
}

function skipProlog(xml: string): number {
  let i = 0;
  for (;;) {
    while (i < xml.length && /[\s\ufeff]/.test(xml[i]!)) i++;
    if (xml.startsWith("<?", i)) {
      const end = xml.indexOf("?>", i + 2);
      if (end < 0) return i;
      i = end + 2;
    } else if (xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end < 0) return i;
      i = end + 3;
    } else {
      return i;
    }
  }
}

/** End index (of the closing ">") of the DOCTYPE starting at `start`, or -1 when it never ends. */
function doctypeEnd(xml: string, start: number): number {
  let quote: string | null = null;
  let inSubset = false;
  for (let i = start + 9; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (inSubset && xml.startsWith("<!--", i)) {
      const end = xml.indexOf("-->", i + 4);
      if (end < 0) return -1;
      i = end + 2;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "[") {
      inSubset = true;
    } else if (c === "]") {
      inSubset = false;
    } else if (c === ">" && !inSubset) {
      return i;
    }
  }
  return -1;
}

/**
 * Refuses a document whose DOCTYPE declares entities (entity bombs, external entities) and returns the
 * document with its DOCTYPE removed. A plain DOCTYPE (RSS 0.91's public identifier) is allowed: the DTD it
 * names is never fetched.
 */
export function stripSafeDoctype(xml: string): string {
  const start = skipProlog(xml);
  if (!/^<!DOCTYPE/i.test(xml.slice(start, start + 9))) return xml;
  const end = doctypeEnd(xml, start);
  if (end < 0) throw new FeedParseError("refused: the DOCTYPE declaration never ends");
  const doctype = xml.slice(start, end + 1);
  if (/<!ENTITY/i.test(doctype)) {
    throw new FeedParseError(
      "refused: the DOCTYPE declares entities (possible entity-expansion bomb or external entity / XXE)",
    );
  }
  return xml.slice(0, start) + xml.slice(end + 1);
}

function codePointText(code: number): string {
  const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) && code !== 0xfffe && code !== 0xffff);
  return allowed ? String.fromCodePoint(code) : "\ufffd";
}

/** Decodes &amp; &lt; &gt; &quot; &apos; and numeric references; any other reference is left as written. */
export function decodeXmlEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|(amp|lt|gt|quot|apos));/g, (_whole, hex, dec, name) => {
    if (hex !== undefined) return codePointText(parseInt(hex, 16));
    if (dec !== undefined) return codePointText(parseInt(dec, 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[name as "amp"];
  });
}
