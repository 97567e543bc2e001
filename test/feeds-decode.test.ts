import { describe, expect, it } from "vitest";
import { charsetFromContentType, decodeFeed, normaliseCharset } from "../src/feeds/decode";
import { parseFeedBytes } from "../src/feeds/parse-feed";

const ascii = (s: string) => new TextEncoder().encode(s);
const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** An RSS document whose only item title is the given bytes, in the given declared encoding. */
function feedBytes(declared: string | null, title: Uint8Array): Uint8Array {
  const decl = declared ? `<?xml version="1.0" encoding="${declared}"?>` : `<?xml version="1.0"?>`;
  return concat(
    ascii(`${decl}<rss version="2.0"><channel><title>t</title><item><title>`),
    title,
    ascii(`</title><link>https://example.org/a</link><pubDate>Tue, 11 Mar 2025 10:00:00 GMT</pubDate></item></channel></rss>`),
  );
}

const parseOptions = { baseUrl: "https://example.org/feed", fetchedAt: new Date("2025-03-12T12:00:00Z"), defaultLanguage: "en" };

// Bytes produced by Python's codecs for each text (real legacy-encoded bytes, not re-encoded by Node).
const encodings: Array<[label: string, text: string, bytes: string]> = [
  ["Shift_JIS", "東京で桜が開花", "938c8b9e82c58df782aa8a4a89d4"],
  ["EUC-JP", "東京で桜が開花", "c5ecb5fea4c7baf9a4acb3abb2d6"],
  ["EUC-KR", "서울 지하철 파업", "bcadbfef20c1f6c7cfc3b620c6c4bef7"],
  ["GB2312", "北京发布新规定", "b1b1bea9b7a2b2bcd0c2b9e6b6a8"],
  ["GBK", "北京发布新规定", "b1b1bea9b7a2b2bcd0c2b9e6b6a8"],
  ["GB18030", "北京发布新规定", "b1b1bea9b7a2b2bcd0c2b9e6b6a8"],
  ["Big5", "台北捷運新路線", "a578a55fb1b6b942b773b8f4bd75"],
  ["KOI8-R", "Новости Москвы", "eecfd7cfd3d4c920edcfd3cbd7d9"],
  ["windows-1251", "Новости Москвы", "cdeee2eef1f2e820cceef1eae2fb"],
  ["ISO-8859-2", "Žilina: ľudia čakajú", "ae696c696e613a20b57564696120e8616b616afa"],
  ["windows-1250", "Příliš žluťoučký kůň", "50f8ed6c699a209e6c759d6f75e86bfd206bf9f2"],
  ["ISO-8859-1", "São Paulo: ação já", "53e36f205061756c6f3a2061e7e36f206ae1"],
  ["windows-1252", "Café “quoted” – dash", "436166e9209371756f7465649420962064617368"],
  ["ISO-8859-7", "Ειδήσεις Αθήνα", "c5e9e4def3e5e9f220c1e8deede1"],
  ["windows-1256", "أخبار القاهرة", "c3cec8c7d120c7e1dec7e5d1c9"],
  ["ISO-8859-9", "İstanbul'da güneş", "dd7374616e62756c2764612067fc6e65fe"],
];

describe("decoding feed bytes", () => {
  it.each(encodings)("reads %s from the XML declaration", (label, text, bytes) => {
    const feed = parseFeedBytes(feedBytes(label, hex(bytes)), null, parseOptions);
    expect(feed.items[0]?.title).toBe(text);
    expect(feed.warnings).toEqual([]);
  });

  it.each(encodings)("reads %s from the Content-Type header when the document does not say", (label, text, bytes) => {
    const feed = parseFeedBytes(feedBytes(null, hex(bytes)), `application/rss+xml; charset="${label}"`, parseOptions);
    expect(feed.items[0]?.title).toBe(text);
  });

  it("lets the header win over the XML declaration when both are plausible", () => {
    // windows-1251 bytes; the document claims KOI8-R, the server (rightly) says windows-1251.
    const decoded = decodeFeed(feedBytes("KOI8-R", hex("cdeee2eef1f2e820cceef1eae2fb")), "text/xml; charset=windows-1251");
    expect(decoded.encoding).toBe("windows-1251");
    expect(decoded.text).toContain("Новости Москвы");
  });

  it("lets a byte-order mark win over everything", () => {
    const utf8 = concat(hex("efbbbf"), feedBytes("windows-1251", ascii("caf")), new TextEncoder().encode("é"));
    expect(decodeFeed(utf8, "text/xml; charset=iso-8859-2").encoding).toBe("utf-8");
    const doc = `<?xml version="1.0" encoding="UTF-16"?><rss><channel><item><title>Ελλάδα 日本</title><link>https://x.org/</link></item></channel></rss>`;
    const le = concat(hex("fffe"), Uint8Array.from(Buffer.from(doc, "utf16le")));
    expect(parseFeedBytes(le, "text/xml; charset=utf-8", parseOptions).items[0]?.title).toBe("Ελλάδα 日本");
    const be = Uint8Array.from(Buffer.from(doc, "utf16le")).map((_, i, a) => a[i ^ 1]!);
    expect(parseFeedBytes(concat(hex("feff"), be), null, parseOptions).items[0]?.title).toBe("Ελλάδα 日本");
  });

  it("recognises UTF-16 without a byte-order mark by its zero bytes", () => {
    const doc = `<?xml version="1.0" encoding="UTF-16"?><rss><channel><item><title>Kraków</title><link>https://x.org/</link></item></channel></rss>`;
    const le = Uint8Array.from(Buffer.from(doc, "utf16le"));
    expect(decodeFeed(le).encoding).toBe("utf-16le");
    expect(parseFeedBytes(le, null, parseOptions).items[0]?.title).toBe("Kraków");
  });

  it("defaults to UTF-8", () => {
    const decoded = decodeFeed(feedBytes(null, new TextEncoder().encode("Zürich — naïve")));
    expect(decoded.encoding).toBe("utf-8");
    expect(decoded.text).toContain("Zürich — naïve");
  });

  it("survives a wrong declared encoding: header says UTF-8, bytes are windows-1251 as the document says", () => {
    const decoded = decodeFeed(feedBytes("windows-1251", hex("cdeee2eef1f2e820cceef1eae2fb")), "text/xml; charset=utf-8");
    expect(decoded.encoding).toBe("windows-1251");
    expect(decoded.text).toContain("Новости Москвы");
    expect(decoded.warnings.join(" ")).toMatch(/not valid UTF-8/);
  });

  it("survives a wrong declared encoding: header says ISO-8859-1, bytes are UTF-8 as the document says", () => {
    const decoded = decodeFeed(feedBytes("utf-8", new TextEncoder().encode("Ação já")), "text/xml; charset=ISO-8859-1");
    expect(decoded.encoding).toBe("utf-8");
    expect(decoded.text).toContain("Ação já");
  });

  it("replaces undecodable bytes and says so when the only declaration is wrong", () => {
    const feed = parseFeedBytes(feedBytes("utf-8", hex("cdeee2eef1f2e8")), null, parseOptions);
    expect(feed.items[0]?.title).toContain("\ufffd");
    expect(feed.warnings.join(" ")).toMatch(/not valid UTF-8/);
  });

  it("falls back to UTF-8 with a warning for an unknown charset", () => {
    const decoded = decodeFeed(feedBytes("x-klingon-1", new TextEncoder().encode("plain é")), "text/xml; charset=bogus");
    expect(decoded.encoding).toBe("utf-8");
    expect(decoded.text).toContain("plain é");
    expect(decoded.warnings).toHaveLength(2);
    expect(decoded.warnings[0]).toMatch(/unknown charset "bogus"/);
  });

  it("ignores a UTF-16 declaration on an ASCII-compatible document", () => {
    const decoded = decodeFeed(feedBytes("UTF-16", new TextEncoder().encode("é")));
    expect(decoded.encoding).toBe("utf-8");
    expect(decoded.warnings.join(" ")).toMatch(/UTF-16/);
  });

  it("reads bytes 0x80-0x9F of windows-1252 and ISO-8859-1 as the curly quotes and dashes they are", () => {
    // Node 20's own TextDecoder leaves these as invisible C1 control characters.
    expect(decodeFeed(hex("9361e9942096"), "text/plain; charset=iso-8859-1").text).toBe("\u201caé\u201d \u2013");
  });

  it("knows the labels servers actually send", () => {
    expect(normaliseCharset("Shift-JIS")).toBe("shift_jis");
    expect(normaliseCharset("cp1251")).toBe("windows-1251");
    expect(normaliseCharset("x-sjis")).toBe("shift_jis");
    expect(normaliseCharset("GB2312")).toBe("gbk");
    expect(normaliseCharset("latin2")).toBe("iso-8859-2");
    expect(normaliseCharset("klingon")).toBeNull();
    expect(normaliseCharset("constructor")).toBeNull();
    expect(normaliseCharset("__proto__")).toBeNull();
    expect(charsetFromContentType('text/xml; Charset="UTF-8"')).toBe("UTF-8");
    expect(charsetFromContentType("application/xml")).toBeNull();
  });
});
