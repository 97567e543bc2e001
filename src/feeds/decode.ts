// Feed bytes → text. The charset comes from, in order: a byte-order mark, the HTTP Content-Type header,
// the XML declaration, else UTF-8. Real servers often declare the wrong one, so a declaration that the
// bytes plainly contradict (invalid UTF-8 while the XML says windows-1251) loses to the other declaration.

import { remapWindows1252Controls } from "./html-text";

export interface DecodedFeed {
  text: string;
  /** The encoding actually used, in WHATWG spelling ("shift_jis", "windows-1251", "utf-8"). */
  encoding: string;
  warnings: string[];
}

/** Labels seen in the wild that the WHATWG Encoding Standard does not know, mapped to ones it does. */
const aliases: Record<string, string> = {
  cp1250: "windows-1250", cp1251: "windows-1251", cp1252: "windows-1252", cp1253: "windows-1253",
  cp1254: "windows-1254", cp1255: "windows-1255", cp1256: "windows-1256", cp1257: "windows-1257",
  "win-1251": "windows-1251", win1251: "windows-1251", cp932: "shift_jis", ms932: "shift_jis",
  "windows-31j": "shift_jis", sjis: "shift_jis", "shift-jis": "shift_jis", eucjp: "euc-jp", euckr: "euc-kr",
  cp949: "euc-kr", uhc: "euc-kr", cp936: "gbk", gb2312: "gbk", "gb-2312": "gbk", big5hkscs: "big5",
  cp950: "big5", utf8: "utf-8", "utf-8n": "utf-8", latin2: "iso-8859-2", "iso8859-2": "iso-8859-2",
  "iso8859-1": "iso-8859-1", "iso8859-15": "iso-8859-15", koi8r: "koi8-r", koi8u: "koi8-u", "utf-16": "utf-16le",
};

/** Canonical WHATWG name for a charset label, or null when TextDecoder does not support it. */
export function normaliseCharset(label: string): string | null {
  const key = label.trim().toLowerCase().replace(/^["']|["']$/g, "");
  // Object.hasOwn: the label is the feed's text ("constructor" is not an alias).
  const mapped = Object.hasOwn(aliases, key) ? aliases[key]! : key;
  try {
    return new TextDecoder(mapped).encoding;
  } catch {
    return null;
  }
}

/** The charset parameter of a Content-Type header ("text/xml; charset=windows-1251"), or null. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType ?? "");
  return m ? m[2]! : null;
}

export function sniffBom(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

/** The encoding named by the XML declaration (UTF-16 without a BOM is recognised by its zero bytes). */
export function xmlDeclaredCharset(bytes: Uint8Array): string | null {
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return "utf-16le";
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return "utf-16be";
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 512));
  const m = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m ? m[1]! : null;
}

function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function hasNonAscii(bytes: Uint8Array): boolean {
  return bytes.some((b) => b >= 0x80);
}

export function decodeFeed(bytes: Uint8Array, contentType?: string | null): DecodedFeed {
  const warnings: string[] = [];
  const bom = sniffBom(bytes);
  if (bom) return { text: decodeWith(bom, bytes), encoding: bom, warnings };

  const known = (label: string | null, where: string): string | null => {
    if (!label) return null;
    const name = normaliseCharset(label);
    if (!name) warnings.push(`unknown charset "${label.slice(0, 40)}" in the ${where}; ignored`);
    return name;
  };
  const fromHeader = known(charsetFromContentType(contentType), "Content-Type header");
  let fromXml = known(xmlDeclaredCharset(bytes), "XML declaration");
  // An ASCII-compatible document cannot be UTF-16, whatever its declaration claims.
  if (fromXml?.startsWith("utf-16") && bytes[0] !== 0x00 && bytes[1] !== 0x00) {
    warnings.push("the XML declaration says UTF-16 but the bytes are not; ignored");
    fromXml = null;
  }

  let encoding = fromHeader ?? fromXml ?? "utf-8";
  const other = fromHeader && fromXml && fromXml !== fromHeader ? fromXml : null;
  if (encoding === "utf-8" && hasNonAscii(bytes) && !isValidUtf8(bytes)) {
    if (other) {
      warnings.push(`declared utf-8 but the bytes are not valid UTF-8; used ${other} from the XML declaration`);
      encoding = other;
    } else {
      warnings.push("the bytes are not valid UTF-8; undecodable bytes were replaced");
    }
  } else if (encoding !== "utf-8" && other === "utf-8" && hasNonAscii(bytes) && isValidUtf8(bytes)) {
    warnings.push(`the header says ${encoding} but the bytes are valid UTF-8 as the XML declaration says; used utf-8`);
    encoding = "utf-8";
  } else if (encoding.startsWith("utf-16") && other?.startsWith("utf-16")) {
    encoding = other; // the byte order seen in the document beats the header's guess
  }
  return { text: decodeWith(encoding, bytes), encoding, warnings };
}

function decodeWith(encoding: string, bytes: Uint8Array): string {
  const text = new TextDecoder(encoding).decode(bytes);
  return encoding === "windows-1252" ? remapWindows1252Controls(text) : text;
}
