// HTML (or text that might be HTML) → plain text. HTML is read once, as a browser reads it: tags are
// markup (removed; script-like elements with their content), character references are text (decoded once,
// so "&lt;br /&gt;" in HTML is the text "<br />", kept, and escaped again wherever it is rendered).
// What leaves here is plain text: no markup, no control characters, C1 controls read as windows-1252.
import { decodeHtmlEntities, isKnownEntity, remapWindows1252Controls } from "./html-entities";

export { decodeHtmlEntities, remapWindows1252Controls } from "./html-entities";

/** Elements whose content is not text for a reader: removed together with everything inside them. */
const droppedWithContent = new Set([
  "script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math", "select", "textarea", "head",
]);
const blockElements = new Set([
  "p", "div", "br", "hr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "table",
  "blockquote", "section", "article", "header", "footer", "figure", "figcaption", "dd", "dt", "dl", "pre",
  "address", "aside", "nav", "main",
]);
/**
 * Elements of HTML as feeds use it. Text whose tags are all among these (and that has a closing tag or a
 * character reference) is taken for HTML by looksLikeHtml; "<blink>" or "<tom@example.org>" is not.
 */
const htmlElements = new Set([
  ...droppedWithContent, ...blockElements, "a", "abbr", "acronym", "area", "audio", "b", "base", "bdi", "bdo", "big",
  "body", "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist", "del",
  "details", "dfn", "dialog", "dir", "em", "fieldset", "font", "form", "html", "i", "img", "input", "ins", "kbd",
  "label", "legend", "link", "map", "mark", "menu", "meta", "meter", "nobr", "optgroup", "option", "output",
  "picture", "progress", "q", "rp", "rt", "ruby", "s", "samp", "small", "source", "span", "strike", "strong", "sub",
  "summary", "sup", "tbody", "tfoot", "thead", "time", "title", "tt", "u", "var", "video", "wbr",
]);
const tagStart = /^<(\/?)([A-Za-z][\w:.-]{0,63})/;

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
 * spaces, script-like elements removed with their content, comments removed, CDATA sections kept as literal
 * text, and the text between them decoded once. A tag cut off at the end (truncated input) is dropped.
 */
function stripMarkup(html: string, stopAt = Infinity): { text: string; complete: boolean } {
  let lower: string | undefined;
  let out = "";
  let i = 0;
  while (i < html.length) {
    if (out.length >= stopAt) return { text: out, complete: false };
    const lt = html.indexOf("<", i);
    if (lt < 0) {
      out += decodeHtmlEntities(html.slice(i));
      break;
    }
    out += decodeHtmlEntities(html.slice(i, lt));
    // Comments, CDATA sections, declarations and processing instructions (no closure here: this loop is hot).
    const marker = html.startsWith("<!--", lt) ? "-->" : html.startsWith("<![CDATA[", lt) ? "]]>" : html[lt + 1] === "!" || html[lt + 1] === "?" ? ">" : null;
    if (marker !== null) {
      const from = lt + (marker === "-->" ? 4 : marker === "]]>" ? 9 : 2);
      const end = html.indexOf(marker, from);
      out += marker === "]]>" ? html.slice(from, end < 0 ? html.length : end) : " ";
      i = end < 0 ? html.length : end + marker.length;
    } else {
      const m = tagStart.exec(html.slice(lt, lt + 66));
      if (!m) {
        out += "<";
        i = lt + 1;
        continue;
      }
      const end = tagEnd(html, lt + m[0].length);
      if (end < 0) break; // no ">" anywhere after this point: a tag cut off at the end
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
  return { text: out, complete: true };
}

/** Script-like element names that never stay in text, even as text (see dropScriptText). */
const scriptText = /<(\/?)(script|style|iframe|object|embed|svg|noscript|template)(?![\w:.-])/gi;

/**
 * Decoded text that spells a script-like tag ("&lt;script&gt;…" in HTML, "<svg onload=…>" in a text title)
 * loses it — with the code between <script> and </script> — as a browser-facing safeguard. Other
 * tag-looking text ("<blink>", "<br />") is the outlet's text and stays. Linear: each search starts past
 * the previous one, and a missing close tag is looked for once.
 */
function dropScriptText(text: string): string {
  scriptText.lastIndex = 0;
  if (!scriptText.test(text)) return text;
  scriptText.lastIndex = 0;
  let lower: string | undefined;
  const noClose = new Set<string>();
  let out = "";
  let i = 0;
  for (let m = scriptText.exec(text); m; m = scriptText.exec(text)) {
    out += `${text.slice(i, m.index)} `;
    const gt = text.indexOf(">", scriptText.lastIndex);
    let end = gt < 0 ? text.length : gt + 1;
    const name = m[2]!.toLowerCase();
    if (!m[1] && (name === "script" || name === "style") && !noClose.has(name)) {
      lower ??= text.toLowerCase();
      const close = lower.indexOf(`</${name}`, end);
      if (close < 0) noClose.add(name);
      else {
        const closeEnd = text.indexOf(">", close);
        end = closeEnd < 0 ? text.length : closeEnd + 1;
      }
    }
    i = end;
    scriptText.lastIndex = end;
  }
  return out + text.slice(i);
}

const mojibake = /[\u00c2-\u00f4][\u0080-\u00bf]/;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * UTF-8 that was decoded as Latin-1 once too often ("CafÃ©" for "Café") is read again as UTF-8 — only when
 * every character fits in a byte and the bytes are valid UTF-8, which real Latin-1 text practically never is.
 */
export function repairDoubleEncodedUtf8(text: string): string {
  if (!mojibake.test(text)) return text;
  const bytes = new Uint8Array(text.length);
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    if (code > 0xff) return text;
    bytes[k] = code;
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return text;
  }
}

/** Decoded text → what is stored: script-like text dropped, encodings repaired, controls and spacing cleaned. */
function finish(text: string): string {
  return collapseWhitespace(remapWindows1252Controls(repairDoubleEncodedUtf8(dropScriptText(text))));
}

/**
 * Plain text from HTML: script/style (and similar) removed with their content, other tags removed, character
 * references decoded once, whitespace collapsed. Only the first `maxInput` characters are read. With `need`,
 * reading stops once the text has at least that many characters (a summary needs the start of an article,
 * not all of it); the text is then a prefix of the whole text, unless markup hid a script's end beyond it.
 */
export function htmlToText(html: string, maxInput = 50_000, need = Infinity): string {
  const input = html.length > maxInput ? html.slice(0, maxInput) : html;
  // Collapsing whitespace shortens the text: read half as much again as is needed, more if that fell short.
  for (let stopAt = Math.ceil(need * 1.5); ; stopAt *= 4) {
    const { text, complete } = stripMarkup(input, stopAt);
    const out = finish(text);
    if (complete || out.length >= need) return out;
  }
}

/** Plain text that is already decoded (an Atom text construct, an RSS title that is not HTML): cleaned only. */
export function plainText(text: string, maxInput = 50_000): string {
  return finish(text.length > maxInput ? text.slice(0, maxInput) : text);
}

const closeTagOrReference = /<\/[A-Za-z][A-Za-z0-9]*\s*>|&#?[A-Za-z0-9]+;/;
const anyTag = /<\/?([A-Za-z][A-Za-z0-9]*)/g;
const namedReference = /&([A-Za-z][A-Za-z0-9]*);/g;

/**
 * Whether text that may or may not be HTML (an RSS title, an author) is HTML: it has a closing tag or a
 * character reference, every tag is an HTML element and every named reference an HTML entity. Errs towards
 * text: "1 < 2", "History of the <blink> tag" and "Jane <jane@example.org>" are text.
 */
export function looksLikeHtml(text: string): boolean {
  if (!closeTagOrReference.test(text)) return false;
  for (const m of text.matchAll(anyTag)) if (!htmlElements.has(m[1]!.toLowerCase())) return false;
  for (const m of text.matchAll(namedReference)) if (!isKnownEntity(m[1]!)) return false;
  return true;
}

/** Text that may be HTML → plain text, read as HTML only when it looks like HTML (see looksLikeHtml). */
export function maybeHtmlToText(text: string, maxInput = 50_000, need = Infinity): string {
  const input = text.length > maxInput ? text.slice(0, maxInput) : text;
  if (!input.includes("<") && !input.includes("&")) return plainText(input);
  return looksLikeHtml(input) ? htmlToText(input, maxInput, need) : plainText(input);
}

/** Control characters removed, every run of whitespace (incl. no-break and zero-width) → one space, trimmed. */
export function collapseWhitespace(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g, "")
    .replace(/[\s\u00a0\u200b\u2028\u2029\ufeff]+/g, " ")
    .trim();
}

const boundary = /[\s\u3000、。，．！？；：,.;:!?)\]」』）]/u;
/** What a cut text does not end with before its ellipsis. */
const trailing = /[\s,;:\-–—(.。、，]/u;
const surrogate = /[\ud800-\udfff]/;

/**
 * Cuts text at a word boundary at most `max` characters (code points) long, adding "…" when cut. Text
 * without spaces (Japanese, Chinese) is cut at punctuation, or at `max` when there is none.
 */
export function truncateAtWord(text: string, max = 300): string {
  if (text.length <= max) return text; // UTF-16 length ≥ code points
  const start = text.slice(0, 2 * max + 2);
  // Indexed by code point; without surrogates the string itself is (no array of characters to build).
  const chars: ArrayLike<string> = surrogate.test(start) ? Array.from(start) : start;
  if (chars.length <= max) return text;
  const limit = max - 1; // room for the ellipsis
  let cut = limit;
  for (let i = limit; i >= Math.floor(limit * 0.6); i--) {
    if (boundary.test(chars[i] ?? "")) {
      cut = /\s/.test(chars[i] ?? "") ? i : i + 1;
      break;
    }
  }
  while (cut > 0 && trailing.test(chars[cut - 1]!)) cut--;
  const head = typeof chars === "string" ? chars.slice(0, cut) : Array.prototype.slice.call(chars, 0, cut).join("");
  return `${head}…`;
}
