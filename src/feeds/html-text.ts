// HTML (or text that might be HTML) → plain text. Feeds put markup, entities, double-escaped markup and
// the odd <script> into titles and summaries; what leaves here is plain text with no tag left in it.

const latin1Names =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute " +
  "micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig " +
  "Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash " +
  "Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc " +
  "euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml " +
  "yacute thorn yuml";

const otherNames: Record<string, number> = {
  amp: 38, lt: 60, gt: 62, quot: 34, apos: 39, OElig: 338, oelig: 339, Scaron: 352, scaron: 353, Yuml: 376,
  fnof: 402, circ: 710, tilde: 732, ensp: 8194, emsp: 8195, thinsp: 8201, zwnj: 8204, zwj: 8205, lrm: 8206,
  rlm: 8207, ndash: 8211, mdash: 8212, lsquo: 8216, rsquo: 8217, sbquo: 8218, ldquo: 8220, rdquo: 8221,
  bdquo: 8222, dagger: 8224, Dagger: 8225, bull: 8226, hellip: 8230, permil: 8240, prime: 8242, Prime: 8243,
  lsaquo: 8249, rsaquo: 8250, oline: 8254, frasl: 8260, euro: 8364, trade: 8482, larr: 8592, uarr: 8593,
  rarr: 8594, darr: 8595, harr: 8596, minus: 8722, le: 8804, ge: 8805, ne: 8800, asymp: 8776, infin: 8734,
  // Central European letters that HTML5 names and that feeds from the region do use.
  Ccaron: 268, ccaron: 269, Dcaron: 270, dcaron: 271, Ecaron: 282, ecaron: 283, Ncaron: 327, ncaron: 328,
  Rcaron: 344, rcaron: 345, Tcaron: 356, tcaron: 357, Zcaron: 381, zcaron: 382, Lcaron: 317, lcaron: 318,
  Uring: 366, uring: 367, Lacute: 313, lacute: 314, Racute: 340, racute: 341, Aogon: 260, aogon: 261,
  Eogon: 280, eogon: 281, Lstrok: 321, lstrok: 322, Nacute: 323, nacute: 324, Sacute: 346, sacute: 347,
  Zacute: 377, zacute: 378, Zdot: 379, zdot: 380, Odblac: 336, odblac: 337, Udblac: 368, udblac: 369,
  Gbreve: 286, gbreve: 287, Idot: 304, inodot: 305, Scedil: 350, scedil: 351, Abreve: 258, abreve: 259,
};

const namedEntities = new Map<string, number>(Object.entries(otherNames));
latin1Names.split(" ").forEach((name, i) => namedEntities.set(name, 160 + i));

/** Browsers read &#128;–&#159; as windows-1252 (feeds written on Windows rely on it). */
const cp1252 = [
  8364, 129, 8218, 402, 8222, 8230, 8224, 8225, 710, 8240, 352, 8249, 338, 141, 381, 143, 144, 8216, 8217, 8220,
  8221, 8226, 8211, 8212, 732, 8482, 353, 8250, 339, 157, 382, 376,
];

/**
 * U+0080–U+009F read as windows-1252 (what WHATWG decoders do for windows-1252 / ISO-8859-1 labels;
 * Node 20's TextDecoder leaves them as C1 controls instead).
 */
export function remapWindows1252Controls(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => String.fromCodePoint(cp1252[c.charCodeAt(0) - 0x80] ?? 0xfffd));
}

function fromCodePoint(code: number): string {
  if (code >= 0x80 && code <= 0x9f) return String.fromCodePoint(cp1252[code - 0x80] ?? 0xfffd);
  if (code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
  return String.fromCodePoint(code);
}

/** Decodes HTML character references (named, decimal, hex); unknown names are left as written. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(?:#[xX]([0-9a-fA-F]{1,6});?|#(\d{1,7});?|([A-Za-z][A-Za-z0-9]{1,31});)/g, (whole, hex, dec, name) => {
    if (hex !== undefined) return fromCodePoint(parseInt(hex, 16));
    if (dec !== undefined) return fromCodePoint(parseInt(dec, 10));
    const code = namedEntities.get(name);
    return code === undefined ? whole : String.fromCodePoint(code);
  });
}

/** Elements whose content is not text for a reader: removed together with everything inside them. */
const droppedWithContent = new Set([
  "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "select", "textarea", "head",
]);
const blockElements = new Set([
  "p", "div", "br", "hr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
  "blockquote", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "dl", "pre",
  "address", "aside", "nav", "main",
]);
const tagStart = /^<(\/?)([A-Za-z][\w:.-]{0,63})/;
const looksLikeMarkup = /<[A-Za-z/!?]/;

/** Index of the ">" closing the tag whose name ends at `from` (quoted attribute values may hold ">"). */
function tagEnd(html: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < html.length; j++) {
    const c = html[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === ">") {
      return j;
    }
  }
  return html.indexOf(">", from); // an unbalanced quote: the next ">" ends it
}

/**
 * One linear scan (no backtracking regexes: feed text is hostile): tags removed, block elements turned into
 * spaces, script-like elements removed with their content, comments removed, CDATA unwrapped. A tag cut off
 * at the end is dropped when `dropDanglingTag` (input truncated); in later passes "<b" is more likely text.
 */
function stripMarkup(html: string, dropDanglingTag: boolean): string {
  let lower: string | undefined;
  let out = "";
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    const skipTo = (marker: string, from: number, keep = false) => {
      const end = html.indexOf(marker, from);
      if (keep) out += html.slice(from, end < 0 ? html.length : end);
      else out += " ";
      i = end < 0 ? html.length : end + marker.length;
    };
    if (html.startsWith("<!--", lt)) skipTo("-->", lt + 4);
    else if (html.startsWith("<![CDATA[", lt)) skipTo("]]>", lt + 9, true);
    else if (html[lt + 1] === "!" || html[lt + 1] === "?") skipTo(">", lt + 2);
    else {
      const m = tagStart.exec(html.slice(lt, lt + 66));
      if (!m) {
        out += "<";
        i = lt + 1;
        continue;
      }
      const end = tagEnd(html, lt + m[0].length);
      if (end < 0) {
        // No ">" anywhere after this point: no further tag can close.
        if (!dropDanglingTag) out += html.slice(lt);
        break;
      }
      const name = m[2]!.toLowerCase();
      i = end + 1;
      if (!m[1] && droppedWithContent.has(name)) {
        lower ??= html.toLowerCase();
        const close = lower.indexOf(`</${name}`, i);
        const closeEnd = close < 0 ? -1 : html.indexOf(">", close);
        i = closeEnd < 0 ? html.length : closeEnd + 1;
        out += " ";
      } else if (blockElements.has(name)) {
        out += " ";
      }
    }
  }
  return out;
}

/**
 * Plain text from HTML: script/style (and similar) removed with their content, other tags removed, entities
 * decoded, whitespace collapsed. Double-escaped markup ("&amp;lt;b&amp;gt;") gets a second pass, so a
 * "<script>" hidden that way is removed too. Only the first `maxInput` characters are read.
 */
export function htmlToText(html: string, maxInput = 50_000): string {
  let text = html.length > maxInput ? html.slice(0, maxInput) : html;
  text = decodeHtmlEntities(stripMarkup(text, true));
  for (let pass = 0; pass < 3 && looksLikeMarkup.test(text); pass++) {
    text = decodeHtmlEntities(stripMarkup(text, false));
  }
  // Whatever still looks like the start of a tag cannot become one: "<" gets a space after it.
  text = text.replace(/<(?=[A-Za-z/!?])/g, "< ");
  return collapseWhitespace(text);
}

/** Control characters removed, every run of whitespace (incl. no-break and zero-width) → one space, trimmed. */
export function collapseWhitespace(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g, "")
    .replace(/[\s\u00a0\u200b\u2028\u2029\ufeff]+/g, " ")
    .trim();
}

const boundary = /[\s\u3000、。，．！？；：,.;:!?)\]」』）]/u;

/**
 * Cuts text at a word boundary at most `max` characters (code points) long, adding "…" when cut. Text
 * without spaces (Japanese, Chinese) is cut at punctuation, or at `max` when there is none.
 */
export function truncateAtWord(text: string, max = 300): string {
  if (text.length <= max) return text; // UTF-16 length ≥ code points
  const chars = Array.from(text.slice(0, 2 * max + 2));
  if (chars.length <= max) return text;
  const limit = max - 1; // room for the ellipsis
  let cut = limit;
  for (let i = limit; i >= Math.floor(limit * 0.6); i--) {
    if (boundary.test(chars[i] ?? "")) {
      cut = /\s/.test(chars[i] ?? "") ? i : i + 1;
      break;
    }
  }
  const head = chars.slice(0, cut).join("").replace(/[\s,;:\-–—(.。、，]+$/u, "");
  return `${head}…`;
}
