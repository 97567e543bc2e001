import { describe, expect, it } from "vitest";
import {
  canonicalUrl,
  decodeHtmlEntities,
  htmlToText,
  parseFeedDate,
  primaryLanguage,
  resolveHttpUrl,
  truncateAtWord,
} from "../src/feeds/normalise";

describe("htmlToText", () => {
  it("strips tags, drops script/style content, decodes entities and collapses whitespace", () => {
    expect(htmlToText(`<div class="a>b"><p>Hello&nbsp;<b>wor</b>ld</p>\n\n<script type="text/javascript">var x = "<p>";</script><style>p { color: red }</style><p>Bye &amp; thanks</p></div>`)).toBe(
      "Hello world Bye & thanks",
    );
  });

  it("separates block elements but not inline ones", () => {
    expect(htmlToText("<p>one</p><p>two</p>thr<em>ee</em><br>four<li>five</li>")).toBe("one two three four five");
  });

  it("removes comments, an unterminated script and a dangling tag", () => {
    expect(htmlToText("a<!-- hidden <b>x</b> -->b")).toBe("a b");
    expect(htmlToText("before<script>alert(1)")).toBe("before");
    expect(htmlToText("text <a href='x")).toBe("text");
  });

  it("decodes named, decimal and hex references, with windows-1252 for 128–159", () => {
    expect(decodeHtmlEntities("&eacute;&#233;&#xE9;&hellip;&ndash;&#150;&rsquo;&Scaron;&ccaron;&unknown;&#0;")).toBe("ééé…––’Šč&unknown;\ufffd");
  });

  it("decodes references once: escaped markup is text, kept as written", () => {
    expect(htmlToText("2 &lt; 3 and 5 &gt; 4")).toBe("2 < 3 and 5 > 4");
    expect(htmlToText("a &lt;b")).toBe("a <b");
    expect(htmlToText("<p>History of the &lt;blink&gt; tag</p>")).toBe("History of the <blink> tag");
    expect(htmlToText("<code>&lt;br /></code>")).toBe("<br />");
    expect(htmlToText("&amp;lt;b&amp;gt; &amp;amp;")).toBe("&lt;b&gt; &amp;");
  });

  it("keeps CDATA sections as literal text (references in them are not decoded)", () => {
    expect(htmlToText("<p>Use <![CDATA[<br> &amp;]]> here</p>")).toBe("Use <br> &amp; here");
  });

  it("drops script-like tags even when they are only text, and the code between them", () => {
    expect(htmlToText("a &lt;script&gt;alert(1)&lt;/script&gt; b &lt;svg onload=x&gt; c")).toBe("a b c");
    expect(htmlToText("&lt;scr&lt;script&gt;&lt;/script&gt;ipt&gt;")).not.toMatch(/<script/i);
  });

  it("reads C1 controls as the windows-1252 characters they stand for, drops its five holes", () => {
    expect(htmlToText("don\u0092t \u0093quote\u0094 \u0096 a\u0081b")).toBe("don’t “quote” – ab");
  });

  it("repairs UTF-8 decoded twice, and leaves real Latin-1 text alone", () => {
    expect(htmlToText("CafÃ© Ã\u00a0 Paris")).toBe("Café à Paris");
    expect(htmlToText("São Paulo, Ã© seul")).toBe("São Paulo, Ã© seul");
  });

  it("removes zero-width, control and non-breaking whitespace", () => {
    expect(htmlToText("a\u200b\u00a0\u0007b\u2028c\tdc")).toBe("a b c dc");
  });
});

describe("truncateAtWord", () => {
  it("leaves short text alone", () => {
    expect(truncateAtWord("short text", 300)).toBe("short text");
  });

  it("cuts at the last space before the limit, without trailing punctuation", () => {
    expect(truncateAtWord("The quick brown fox, jumps over the lazy dog", 22)).toBe("The quick brown fox…");
  });

  it("cuts text without spaces at punctuation, or hard at the limit", () => {
    const japanese = "北海道沖で地震があった。津波注意報は解除された。気象庁によると被害の報告はない。";
    expect(truncateAtWord(japanese, 30)).toBe("北海道沖で地震があった。津波注意報は解除された…");
    expect(truncateAtWord("あ".repeat(50), 20)).toBe(`${"あ".repeat(19)}…`);
  });

  it("never splits a surrogate pair", () => {
    const cut = truncateAtWord("😀".repeat(40), 10);
    expect(Array.from(cut)).toHaveLength(10);
    expect(cut).not.toMatch(/[\ud800-\udfff](?![\udc00-\udfff])(?<![\ud800-\udbff][\udc00-\udfff])/);
  });
});

describe("canonicalUrl", () => {
  it("removes tracking parameters and the fragment, lower-cases the host, keeps other parameters in order", () => {
    expect(
      canonicalUrl("https://WWW.Example.COM:443/News/Story?id=5&utm_source=rss&UTM_Medium=x&fbclid=1&gclid=2&mc_cid=3&mc_eid=4&ref=home&cmpid=5&page=2#top"),
    ).toBe("https://www.example.com/News/Story?id=5&page=2");
  });

  it("drops an empty query and credentials; refuses non-http(s)", () => {
    expect(canonicalUrl("http://user:pw@example.com/a?utm_campaign=x")).toBe("http://example.com/a");
    expect(canonicalUrl("javascript:alert(1)")).toBeNull();
    expect(canonicalUrl("ftp://example.com/")).toBeNull();
    expect(canonicalUrl("not a url")).toBeNull();
  });

  it("is idempotent", () => {
    const once = canonicalUrl("https://example.com/a?b=1&utm_x=2#c")!;
    expect(canonicalUrl(once)).toBe(once);
  });
});

describe("resolveHttpUrl", () => {
  it("resolves against the first usable base and refuses other schemes", () => {
    expect(resolveHttpUrl("/a", null, "https://example.org/x/")?.href).toBe("https://example.org/a");
    expect(resolveHttpUrl("b", "https://example.org/x/")?.href).toBe("https://example.org/x/b");
    expect(resolveHttpUrl("  https://abs.example/ ", "https://example.org/")?.href).toBe("https://abs.example/");
    expect(resolveHttpUrl("javascript:alert(1)", "https://example.org/")).toBeNull();
    expect(resolveHttpUrl("", "https://example.org/")).toBeNull();
    expect(resolveHttpUrl("/a")).toBeNull();
  });
});

describe("parseFeedDate", () => {
  it.each([
    ["Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 +0900", "2003-06-09T19:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00:00 EDT", "2003-06-10T08:00:00.000Z"],
    ["10 Jun 03 04:00 EST", "2003-06-10T09:00:00.000Z"],
    ["Tuesday, 10 June 2003 04:00:00 GMT+9", "2003-06-09T19:00:00.000Z"],
    ["Tue, 10 Jun 2003 04:00 +05:30", "2003-06-09T22:30:00.000Z"],
    ["June 10, 2003 3:05 PM", "2003-06-10T15:05:00.000Z"],
    ["Di, 10 Mär 2025 10:00:00 +0100", "2025-03-10T09:00:00.000Z"],
    ["mar, 10 jun 2025 10:00:00 +0200", "2025-06-10T08:00:00.000Z"],
    ["10 juil. 2025 08:00", "2025-07-10T08:00:00.000Z"],
    ["Sat Mar 08 2025 10:00:00 GMT+0100 (Central European Standard Time)", "2025-03-08T09:00:00.000Z"],
    ["2025-03-10T10:15:00Z", "2025-03-10T10:15:00.000Z"],
    ["2025-03-10T10:15:00.123+09:00", "2025-03-10T01:15:00.000Z"],
    ["2025-03-10T10:15:00-0300", "2025-03-10T13:15:00.000Z"],
    ["2025-03-10 10:15", "2025-03-10T10:15:00.000Z"],
    ["2025-03-10", "2025-03-10T00:00:00.000Z"],
    ["2025/03/10 10:15:00", "2025-03-10T10:15:00.000Z"],
    ["20250310T101500Z", "2025-03-10T10:15:00.000Z"],
    // A word that names a member of every object is a word, not a time zone.
    ["Tue, 10 Jun 2003 04:00:00 constructor", "2003-06-10T04:00:00.000Z"],
  ])("reads %s", (raw, iso) => {
    expect(parseFeedDate(raw)?.toISOString()).toBe(iso);
  });

  it.each(["", "soon", "31 Feb 2025 10:00 GMT", "2025-13-01", "Tue, 10 Jun 2003 25:00:00 GMT", "1741600000", "x".repeat(500)])(
    "refuses %s",
    (raw) => {
      expect(parseFeedDate(raw)).toBeNull();
    },
  );
});

describe("primaryLanguage", () => {
  it.each([
    ["pt-BR", "pt"],
    ["EN_us", "en"],
    ["zh-Hant-TW", "zh"],
    [" ja ", "ja"],
    ["fil", "fil"],
    ["english", null],
    ["", null],
    [null, null],
  ])("%s → %s", (tag, primary) => {
    expect(primaryLanguage(tag)).toBe(primary);
  });
});
