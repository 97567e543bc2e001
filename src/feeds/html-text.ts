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

const attrs = `(?:[^>"']|"[^"]*"|'[^']*')*`;
const droppedWithContent = new RegExp(
  `<(script|style|template|noscript|iframe|object|embed|svg|math|select|textarea)\\b${attrs}>[\\s\\S]*?<\\/\\1\\s*>`,
  "gi",
);
const unclosedDropped = /<(script|style|template|iframe|svg|math)\b[\s\S]*$/i;
const blockTag = new RegExp(
  `<\\/?(?:p|div|br|hr|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|header|footer|figure|figcaption|dd|dt|dl|pre|address|aside|nav|main)\\b${attrs}>`,
  "gi",
);
const anyTag = new RegExp(`<\\/?[A-Za-z][\\w:.-]*${attrs}>`, "g");
const looksLikeMarkup = /<[A-Za-z/!?]/;

function stripMarkup(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, " ")
    .replace(/<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)/g, "$1")
    .replace(droppedWithContent, " ")
    .replace(unclosedDropped, " ")
    .replace(blockTag, " ")
    .replace(anyTag, "")
    .replace(/<[!?][^>]*>/g, "")
    .replace(/<\/?[A-Za-z][^<>]*$/, "");
}

/**
 * Plain text from HTML: script/style (and similar) removed with their content, other tags removed, entities
 * decoded, whitespace collapsed. Double-escaped markup ("&amp;lt;b&amp;gt;") gets a second pass, so a
 * "<script>" hidden that way is removed too. Only the first `maxInput` characters are read.
 */
export function htmlToText(html: string, maxInput = 50_000): string {
  let text = html.length > maxInput ? html.slice(0, maxInput) : html;
  text = decodeHtmlEntities(stripMarkup(text));
  for (let pass = 0; pass < 3 && looksLikeMarkup.test(text); pass++) {
    text = decodeHtmlEntities(stripMarkup(text));
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
  const chars = Array.from(text);
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
