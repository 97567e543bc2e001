// The XML layer of a feed's text elements (title, description, summary, content): what the element holds
// by its format's rules, before any HTML is read. The parser keeps these elements' inner XML raw, so each
// layer is decoded exactly once: XML here, HTML (when it is HTML) in html-text.ts.
//   RSS/RDF description, content:encoded — HTML: escaped, in CDATA, or (an abuse) as naked child elements.
//   RSS/RDF title, names                  — text by the spec, HTML in many feeds: decided by looking at it.
//   Atom 1.0 text constructs              — type="text" | "html" | "xhtml" | a media type (base64 unless
//                                           text/* or XML); Atom 0.3 — a media type and mode="xml" |
//                                           "escaped" | "base64".
import { decodeHtmlEntities } from "./html-entities";

/** How the characters of a field are to be read: as HTML, as text, or as HTML only if it looks like HTML. */
export type TextKind = "html" | "text" | "maybe-html";

export interface TextField {
  kind: TextKind;
  value: string;
  /** Declared base64 but not base64 of UTF-8 text (binary, or not base64 at all): left out. */
  undecodable?: true;
}

export const EMPTY_FIELD: TextField = { kind: "text", value: "" };

/** Whether raw inner XML holds child elements (outside CDATA sections and comments). */
export function hasChildElements(raw: string): boolean {
  let i = raw.indexOf("<");
  while (i >= 0) {
    if (raw.startsWith("<![CDATA[", i)) {
      const end = raw.indexOf("]]>", i + 9);
      if (end < 0) return false;
      i = raw.indexOf("<", end + 3);
    } else if (raw.startsWith("<!--", i)) {
      const end = raw.indexOf("-->", i + 4);
      if (end < 0) return false;
      i = raw.indexOf("<", end + 3);
    } else {
      if (/[A-Za-z_]/.test(raw[i + 1] ?? "")) return true;
      i = raw.indexOf("<", i + 1);
    }
  }
  return false;
}

/**
 * Raw inner XML without child elements → its characters: CDATA sections literally, the rest with references
 * decoded once — the five XML ones, numeric ones, and the HTML entity names feeds use without declaring
 * them (&nbsp; &rsquo;), read as an XML parser that knew them would.
 */
export function xmlCharacters(raw: string): string {
  if (!raw.includes("<![CDATA[")) return decodeHtmlEntities(raw);
  let out = "";
  let i = 0;
  while (i < raw.length) {
    const start = raw.indexOf("<![CDATA[", i);
    if (start < 0) {
      out += decodeHtmlEntities(raw.slice(i));
      break;
    }
    out += decodeHtmlEntities(raw.slice(i, start));
    const end = raw.indexOf("]]>", start + 9);
    out += raw.slice(start + 9, end < 0 ? raw.length : end);
    i = end < 0 ? raw.length : end + 3;
  }
  return out;
}

/**
 * Inline markup (XHTML, naked HTML) is handed on as it is: its tags are markup and its references are
 * text, which is exactly how the HTML reader takes it (CDATA sections stay literal text there too).
 */
const inlineMarkup = (raw: string): TextField => ({ kind: "html", value: raw });

/** An RSS/RDF element that carries HTML (description, content:encoded, dc:description). */
export function rssHtml(raw: string): TextField {
  return hasChildElements(raw) ? inlineMarkup(raw) : { kind: "html", value: xmlCharacters(raw) };
}

/** An RSS/RDF element that is text by the spec and HTML in many feeds (title): decided by looking at it. */
export function rssMaybeHtml(raw: string): TextField {
  return hasChildElements(raw) ? inlineMarkup(raw) : { kind: "maybe-html", value: xmlCharacters(raw) };
}

const base64Text = /^[A-Za-z0-9+/]*={0,2}$/;
const binaryControls = /[\u0000-\u0008\u000e-\u001a\u001c-\u001f]/;

/** Base64 of UTF-8 text → the text; null when it is not base64, not UTF-8, or holds binary controls. */
export function decodeBase64Text(encoded: string): string | null {
  const compact = encoded.replace(/\s+/g, "");
  if (compact.length % 4 === 1 || !base64Text.test(compact)) return null;
  let binary: string;
  try {
    binary = atob(compact);
  } catch {
    return null;
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return binaryControls.test(text) ? null : text;
  } catch {
    return null;
  }
}

type AtomType = "text" | "html" | "xhtml" | "xml" | "other-text" | "binary";

function atomType(type: string): AtomType {
  if (type === "text" || type === "text/plain") return "text";
  if (type === "html" || type === "text/html") return "html";
  if (type === "xhtml" || type === "application/xhtml+xml") return "xhtml";
  if (type.endsWith("+xml") || type.endsWith("/xml")) return "xml";
  if (type.startsWith("text/")) return "other-text";
  return "binary";
}

/**
 * An Atom 1.0 or 0.3 text construct or content element. `type` and `mode` are its attributes (absent:
 * text, and mode "xml"). Base64 is decoded here (Atom 0.3 mode="base64", or an Atom 1.0 media type that is
 * neither text nor XML); what does not decode to text is refused.
 */
export function atomText(raw: string, type: string | null, mode: string | null): TextField {
  const kind = atomType((type ?? "text").trim().toLowerCase());
  const declaredMode = (mode ?? "").trim().toLowerCase();
  if (declaredMode === "base64" || kind === "binary") {
    const decoded = decodeBase64Text(xmlCharacters(raw));
    if (decoded === null) return { ...EMPTY_FIELD, undecodable: true };
    // A media type says nothing about markup: such text is HTML only if it looks like HTML.
    return { kind: kind === "html" || kind === "xhtml" ? "html" : kind === "text" || kind === "other-text" ? "text" : "maybe-html", value: decoded };
  }
  // Child elements where escaped text was declared: inline markup all the same (a common abuse).
  if (declaredMode !== "escaped" && hasChildElements(raw)) return inlineMarkup(raw);
  if (kind === "xhtml" && declaredMode !== "escaped") return inlineMarkup(raw);
  const characters = xmlCharacters(raw);
  if (kind === "html" || kind === "xhtml") return { kind: "html", value: characters };
  return { kind: "text", value: characters };
}
