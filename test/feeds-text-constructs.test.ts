// The layers of a feed's text: the XML layer by format (RSS HTML, RSS maybe-HTML, Atom type and mode,
// base64), the HTML-or-text decision, and titles made for items without one.
import { describe, expect, it } from "vitest";
import { titleFromText } from "../src/feeds/derived-title";
import { looksLikeHtml } from "../src/feeds/html-text";
import { fieldText } from "../src/feeds/normalise";
import { atomText, decodeBase64Text, hasChildElements, rssHtml, rssMaybeHtml } from "../src/feeds/text-constructs";

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString("base64");
const read = (f: ReturnType<typeof atomText>) => fieldText(f, 10_000);

describe("Atom text constructs", () => {
  it("type=text is text: references decoded once, tag-looking text kept", () => {
    expect(read(atomText("AT&amp;T &lt;b&gt;bold&lt;/b&gt; &amp;amp;", "text", null))).toBe("AT&T <b>bold</b> &amp;");
    expect(read(atomText("Default &lt;i&gt;", null, null))).toBe("Default <i>");
  });

  it("type=html is escaped HTML: tags are markup, escaped references text", () => {
    expect(read(atomText("&lt;b&gt;Bold&lt;/b&gt; &amp;lt;blink&amp;gt;", "html", null))).toBe("Bold <blink>");
    expect(read(atomText("<![CDATA[<i>x</i> &amp; y]]>", "html", null))).toBe("x & y");
  });

  it("type=xhtml is inline markup: the div goes, references are text", () => {
    expect(read(atomText(`<div xmlns="http://www.w3.org/1999/xhtml">A &lt;b&gt; <b>B</b></div>`, "xhtml", null))).toBe("A <b> B");
  });

  it("child elements in a construct declared text or html are read as the inline markup they are", () => {
    expect(read(atomText("<b>Bold</b> &amp; plain", "text", null))).toBe("Bold & plain");
    expect(read(atomText("<p>Para</p>", "html", null))).toBe("Para");
  });

  it("a media type that is neither text nor XML is base64; HTML inside is read only if it looks like HTML", () => {
    expect(read(atomText(b64("<p>History of the &lt;blink&gt; tag</p>"), "application/octet-stream", null))).toBe("History of the <blink> tag");
    expect(read(atomText(b64("1 < 2, plain"), "application/octet-stream", null))).toBe("1 < 2, plain");
    expect(read(atomText(`\n  ${b64("Wrapped text")}\n`, "application/x-whatever", null))).toBe("Wrapped text");
  });

  it("Atom 0.3 modes: base64 by its type, escaped, and xml (the default)", () => {
    expect(read(atomText(b64("<em>Hi</em> there"), "text/html", "base64"))).toBe("Hi there");
    expect(read(atomText(b64("<em>Hi</em> there"), null, "base64"))).toBe("<em>Hi</em> there");
    expect(read(atomText("&lt;p&gt;Esc&lt;/p&gt;", "text/html", "escaped"))).toBe("Esc");
    expect(read(atomText("<p>Inline</p>", "text/html", "xml"))).toBe("Inline");
  });

  it("refuses base64 that is not text: binary, invalid UTF-8, not base64 at all", () => {
    for (const [raw, type] of [
      [b64(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])), "image/png"],
      [b64(new Uint8Array([0x63, 0x61, 0x66, 0xe9])), "application/octet-stream"],
      ["@@@ not base64 @@@", "application/octet-stream"],
      ["abcde", "application/octet-stream"],
    ] as const) {
      const field = atomText(raw, type, null);
      expect(field.undecodable).toBe(true);
      expect(read(field)).toBe("");
    }
  });

  it("XML media types are inline XML: their text is read, never base64", () => {
    expect(read(atomText("<entry><title>Deep</title></entry>", "application/atom+xml", null))).toBe("Deep");
    expect(read(atomText("just text &amp; more", "text/xml", null))).toBe("just text & more");
  });
});

describe("RSS text elements", () => {
  it("descriptions are HTML, escaped, in CDATA or naked", () => {
    expect(fieldText(rssHtml("&lt;p&gt;A &amp;amp; B&lt;/p&gt;"), 1_000)).toBe("A & B");
    expect(fieldText(rssHtml("<![CDATA[<p>A &amp; B</p>]]>"), 1_000)).toBe("A & B");
    expect(fieldText(rssHtml("<p>A &amp;lt; B</p>"), 1_000)).toBe("A &lt; B");
  });

  it("titles are HTML only when they look like it", () => {
    expect(fieldText(rssMaybeHtml("&lt;b&gt;Bold&lt;/b&gt;"), 1_000)).toBe("Bold");
    expect(fieldText(rssMaybeHtml("History of the &lt;blink&gt; tag"), 1_000)).toBe("History of the <blink> tag");
    expect(fieldText(rssMaybeHtml("Fish &amp;amp; chips"), 1_000)).toBe("Fish & chips");
    expect(fieldText(rssMaybeHtml("AT&amp;T"), 1_000)).toBe("AT&T");
    expect(fieldText(rssMaybeHtml("Don&rsquo;t&nbsp;panic"), 1_000)).toBe("Don’t panic");
  });

  it("finds child elements outside CDATA and comments only", () => {
    expect(hasChildElements("text <![CDATA[<b>x</b>]]> <!-- <i> -->")).toBe(false);
    expect(hasChildElements("a < b")).toBe(false);
    expect(hasChildElements("a <b>x</b>")).toBe(true);
  });
});

describe("looksLikeHtml", () => {
  it("needs a closing tag or a reference, and only HTML elements and entities", () => {
    expect(looksLikeHtml("<b>x</b>")).toBe(true);
    expect(looksLikeHtml("Tom &amp; Jerry")).toBe(true);
    expect(looksLikeHtml("<br>")).toBe(false);
    expect(looksLikeHtml("<blink>x</blink>")).toBe(false);
    expect(looksLikeHtml("Jane <jane@example.org>")).toBe(false);
    expect(looksLikeHtml("&bogus; <b>x</b>")).toBe(false);
  });
});

describe("decodeBase64Text", () => {
  it("decodes UTF-8 text with or without line breaks and padding", () => {
    expect(decodeBase64Text(b64("ünïcode ✓"))).toBe("ünïcode ✓");
    expect(decodeBase64Text(b64("abcd").replace(/=+$/, ""))).toBe("abcd");
    expect(decodeBase64Text("SGVs\nbG8=")).toBe("Hello");
    expect(decodeBase64Text("")).toBe("");
  });
});

describe("titleFromText", () => {
  it("takes the first sentence, with its closing punctuation", () => {
    expect(titleFromText("Power was restored. Crews worked overnight.")).toBe("Power was restored.");
    expect(titleFromText("Will it reopen? Nobody knows.")).toBe("Will it reopen?");
    expect(titleFromText("He said “enough.” Then he left.")).toBe("He said “enough.”");
    expect(titleFromText("One sentence without a full stop")).toBe("One sentence without a full stop");
  });

  it("does not end a sentence at abbreviations, initials, ordinals or numbers", () => {
    expect(titleFromText("Dr. Smith met U.S. officials. Talks resume.")).toBe("Dr. Smith met U.S. officials.");
    expect(titleFromText("J. K. Rowling spoke. More later.")).toBe("J. K. Rowling spoke.");
    expect(titleFromText("Am 3. Oktober feiern wir. Dann nicht.")).toBe("Am 3. Oktober feiern wir.");
    expect(titleFromText("Prices rose 3.5 per cent in 2024. Wages did not.")).toBe("Prices rose 3.5 per cent in 2024.");
    expect(titleFromText("It costs approx. five euros. Cheap.")).toBe("It costs approx. five euros.");
  });

  it("ends at full-width punctuation in Japanese and Chinese", () => {
    expect(titleFromText("北海道で地震があった。津波の心配はない。")).toBe("北海道で地震があった。");
    expect(titleFromText("台风登陆！居民撤离。")).toBe("台风登陆！");
  });

  it("cuts a long first sentence at a word, with an ellipsis", () => {
    const long = `${"word ".repeat(60)}end. Next.`;
    const title = titleFromText(long, 50);
    expect(title.length).toBeLessThanOrEqual(50);
    expect(title.endsWith("…")).toBe(true);
    expect(long.startsWith(title.slice(0, -1))).toBe(true);
  });
});
