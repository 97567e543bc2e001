import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FeedParseError, parseFeed } from "../src/feeds/parse-feed";

const fetchedAt = new Date("2025-03-12T12:00:00Z");
const options = { baseUrl: "https://feeds.example.org/world/rss.xml", fetchedAt, defaultLanguage: "en" };

const rss = (items: string, channel = "") =>
  `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>World</title><link>https://www.example.org/</link>${channel}${items}</channel></rss>`;

const item = (fields: string) => `<item>${fields}</item>`;
/** A script-like tag, as markup or as text: never in a parsed item (other tag-looking text may be). */
const scriptLike = /<\/?\s*(script|style|iframe|object|embed|svg|noscript|template)(?![\w:.-])/i;

function parseError(xml: string): string {
  try {
    parseFeed(xml, options);
  } catch (error) {
    expect(error).toBeInstanceOf(FeedParseError);
    return (error as Error).message;
  }
  throw new Error("expected a FeedParseError");
}

describe("parsing RSS 2.0", () => {
  it("reads title, link, summary, date, author, guid and language", () => {
    const feed = parseFeed(
      rss(
        item(`<title>Floods in the north</title><link>https://www.example.org/news/1</link>
          <description>Rivers rose overnight.</description><pubDate>Tue, 11 Mar 2025 10:00:00 +0100</pubDate>
          <dc:creator>Ana Souza</dc:creator><guid isPermaLink="false">news-1</guid>`),
        "<language>pt-BR</language>",
      ),
      options,
    );
    expect(feed.format).toBe("rss");
    expect(feed.title).toBe("World");
    expect(feed.language).toBe("pt");
    expect(feed.items).toEqual([
      {
        title: "Floods in the north",
        titleDerived: false,
        link: "https://www.example.org/news/1",
        summary: "Rivers rose overnight.",
        published: new Date("2025-03-11T09:00:00Z"),
        language: "pt",
        author: "Ana Souza",
        guid: "news-1",
      },
    ]);
    expect(feed.warnings).toEqual([]);
  });

  it("takes the summary from content:encoded when there is no description", () => {
    const feed = parseFeed(
      rss(item(`<title>T</title><link>https://x.org/1</link><content:encoded><![CDATA[<p>Full <em>text</em> here.</p>]]></content:encoded>`)),
      options,
    );
    expect(feed.items[0]?.summary).toBe("Full text here.");
  });

  it("titles an item that has none with its description's first sentence, marked as derived, text kept", () => {
    const feed = parseFeed(
      rss(
        [
          item(`<link>https://x.org/1</link><description>&lt;p&gt;Rivers rose overnight. Three towns flooded.&lt;/p&gt;</description>`),
          item(`<title>Outlet's own</title><link>https://x.org/2</link><description>Text.</description>`),
          item(`<description>No link, so not kept.</description>`),
        ].join(""),
      ),
      options,
    );
    expect(feed.items.map(({ title, titleDerived, summary }) => ({ title, titleDerived, summary }))).toEqual([
      { title: "Rivers rose overnight.", titleDerived: true, summary: "Rivers rose overnight. Three towns flooded." },
      { title: "Outlet's own", titleDerived: false, summary: "Text." },
    ]);
    expect(feed.warnings).toContain("1 item(s) without a title: titled with their text's first sentence");
    expect(feed.warnings).toContain("1 item(s) dropped: no usable http(s) link");
  });

  it("uses a permalink guid as the link when <link> is missing", () => {
    const feed = parseFeed(rss(item(`<title>T</title><guid>https://www.example.org/g/1</guid>`)), options);
    expect(feed.items[0]?.link).toBe("https://www.example.org/g/1");
  });

  it("reads RSS 0.91 with its Netscape DOCTYPE (no entities declared, nothing fetched)", () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old</title><link>https://old.example.org/</link><language>en-us</language>
<item><title>Legacy item</title><link>/stories/1.html</link><description>Old &amp; gold</description></item></channel></rss>`;
    const feed = parseFeed(xml, options);
    expect(feed.items[0]).toMatchObject({ title: "Legacy item", link: "https://old.example.org/stories/1.html", summary: "Old & gold" });
  });
});

describe("parsing RSS 1.0 (RDF)", () => {
  it("reads items that sit beside the channel, with dc:date and rdf:about", () => {
    const xml = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example.org/rss"><title>RDF news</title><link>https://rdf.example.org/</link><dc:language>ja</dc:language>
<items><rdf:Seq><rdf:li rdf:resource="https://rdf.example.org/a"/></rdf:Seq></items></channel>
<item rdf:about="https://rdf.example.org/a"><title>First</title><link>https://rdf.example.org/a</link>
<dc:date>2025-03-10T09:00:00+09:00</dc:date><dc:creator>Sato</dc:creator></item>
<item rdf:about="https://rdf.example.org/b"><title>Second</title><link>https://rdf.example.org/b</link><dc:language>en</dc:language></item>
</rdf:RDF>`;
    const feed = parseFeed(xml, options);
    expect(feed.format).toBe("rdf");
    expect(feed.language).toBe("ja");
    expect(feed.items.map((i) => [i.title, i.guid, i.language, i.author])).toEqual([
      ["First", "https://rdf.example.org/a", "ja", "Sato"],
      ["Second", "https://rdf.example.org/b", "en", null],
    ]);
    expect(feed.items[0]?.published).toEqual(new Date("2025-03-10T00:00:00Z"));
  });
});

describe("parsing Atom 1.0", () => {
  const atom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de-AT" xml:base="https://atom.example.org/blog/">
  <title type="html">Das &lt;b&gt;Blatt&lt;/b&gt;</title>
  <link rel="self" href="https://atom.example.org/feed.atom"/><link rel="alternate" href="https://atom.example.org/"/>
  <author><name>Redaktion</name></author>
  <entry xml:lang="en">
    <title>First entry</title>
    <link rel="edit" href="https://atom.example.org/edit/1"/><link rel="alternate" type="text/html" href="posts/1"/>
    <id>tag:atom.example.org,2025:1</id><updated>2025-03-11T08:00:00Z</updated><published>2025-03-10T08:00:00+01:00</published>
    <summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Inline <b>XHTML</b> &amp; more</p></div></summary>
    <author><name>Eva</name><email>eva@example.org</email></author>
  </entry>
  <entry xml:base="/other/">
    <title type="text">Second</title><link href="2"/><id>tag:atom.example.org,2025:2</id><updated>2025-03-11T09:00:00Z</updated>
    <content type="html">&lt;p&gt;Only content&lt;/p&gt;</content>
  </entry>
</feed>`;

  it("reads entries: alternate link resolved against xml:base, published over updated, authors", () => {
    const feed = parseFeed(atom, options);
    expect(feed.format).toBe("atom");
    expect(feed.title).toBe("Das Blatt");
    expect(feed.language).toBe("de");
    expect(feed.items).toEqual([
      {
        title: "First entry",
        titleDerived: false,
        link: "https://atom.example.org/blog/posts/1",
        summary: "Inline XHTML & more",
        published: new Date("2025-03-10T07:00:00Z"),
        language: "en",
        author: "Eva",
        guid: "tag:atom.example.org,2025:1",
      },
      {
        title: "Second",
        titleDerived: false,
        link: "https://atom.example.org/other/2",
        summary: "Only content",
        published: new Date("2025-03-11T09:00:00Z"),
        language: "de",
        author: "Redaktion",
        guid: "tag:atom.example.org,2025:2",
      },
    ]);
  });
});

describe("links", () => {
  it("resolves relative links against the channel link, keeps only http(s), strips tracking", () => {
    const feed = parseFeed(
      rss(
        [
          item(`<title>Relative</title><link>/news/2?utm_source=rss&amp;utm_medium=feed&amp;id=7#comments</link>`),
          item(`<title>Protocol-relative</title><link>//cdn.example.net/a</link>`),
          item(`<title>Script</title><link>javascript:alert(1)</link>`),
          item(`<title>Data</title><link>data:text/html,hi</link>`),
          item(`<title>Mail</title><link>mailto:x@example.org</link>`),
          item(`<title>FTP</title><link>ftp://example.org/file</link>`),
        ].join(""),
      ),
      options,
    );
    expect(feed.items.map((i) => i.link)).toEqual(["https://www.example.org/news/2?id=7", "https://cdn.example.net/a"]);
    expect(feed.warnings).toContain("4 item(s) dropped: no usable http(s) link");
  });

  it("falls back to the feed URL when the channel has no link", () => {
    const xml = `<rss version="2.0"><channel><title>x</title><item><title>A</title><link>story.html</link></item></channel></rss>`;
    expect(parseFeed(xml, options).items[0]?.link).toBe("https://feeds.example.org/world/story.html");
  });

  it("drops duplicates by canonical URL and by guid", () => {
    const feed = parseFeed(
      rss(
        [
          item(`<title>A</title><link>https://www.example.org/a?utm_campaign=x</link><guid>g1</guid>`),
          item(`<title>A again</title><link>https://WWW.EXAMPLE.ORG/a#top</link><guid>g2</guid>`),
          item(`<title>A moved</title><link>https://www.example.org/a-moved</link><guid>g1</guid>`),
          item(`<title>B</title><link>https://www.example.org/b</link><guid>g3</guid>`),
        ].join(""),
      ),
      options,
    );
    expect(feed.items.map((i) => i.title)).toEqual(["A", "B"]);
    expect(feed.warnings).toContain("2 duplicate item(s) dropped (same link or guid)");
  });
});

describe("dates", () => {
  it("falls back to the fetch time for missing, unreadable, epoch and future dates", () => {
    const feed = parseFeed(
      rss(
        [
          item(`<title>None</title><link>https://x.org/1</link>`),
          item(`<title>Garbage</title><link>https://x.org/2</link><pubDate>yesterday-ish</pubDate>`),
          item(`<title>Epoch</title><link>https://x.org/3</link><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate>`),
          item(`<title>Future</title><link>https://x.org/4</link><pubDate>Fri, 12 Mar 2027 10:00:00 GMT</pubDate>`),
          item(`<title>Sloppy</title><link>https://x.org/5</link><pubDate>11 March 2025 14:30 CET</pubDate>`),
          item(`<title>ISO in RSS</title><link>https://x.org/6</link><pubDate>2025-03-11 08:15:00</pubDate>`),
        ].join(""),
      ),
      options,
    );
    expect(feed.items.map((i) => i.published.toISOString())).toEqual([
      fetchedAt.toISOString(),
      fetchedAt.toISOString(),
      fetchedAt.toISOString(),
      fetchedAt.toISOString(),
      "2025-03-11T13:30:00.000Z",
      "2025-03-11T08:15:00.000Z",
    ]);
    expect(feed.warnings).toContain("3 item(s) without a usable date: used the fetch time");
    expect(feed.warnings).toContain("1 item(s) dated in the future: used the fetch time");
  });
});

describe("hostile and broken input", () => {
  it("strips HTML and scripts from titles and summaries, including double-escaped ones", () => {
    const feed = parseFeed(
      rss(
        item(`<title><![CDATA[Breaking: <script>alert("x")</script><b>Quake</b> &amp; <img src=x onerror=alert(1)>tsunami]]></title>
        <link>https://x.org/1</link>
        <description>&lt;p&gt;Body&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt; &amp;lt;script&amp;gt;alert(2)&amp;lt;/script&amp;gt; &lt;style&gt;p{}&lt;/style&gt;end &amp;nbsp;&amp;#8211; &amp;eacute;</description>`),
      ),
      options,
    );
    expect(feed.items[0]?.title).toBe("Breaking: Quake & tsunami");
    expect(feed.items[0]?.summary).toBe("Body end – é");
  });

  it("never lets a script-like tag through, as markup or as text, however it is nested or escaped", () => {
    const titles = [
      `&amp;lt;&amp;lt;script&amp;gt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt; &lt;scr&lt;script&gt;ipt&gt;x`,
      `&amp;lt;script&amp;gt;alert(2)&amp;lt;/script&amp;gt; after`,
      `Breaking &lt;svg/onload=alert(1)&gt; &lt;IFRAME src=x&gt; &lt;/Script &gt;`,
    ];
    const feed = parseFeed(rss(titles.map((t, i) => item(`<title>${t}</title><link>https://x.org/${i}</link>`)).join("")), options);
    expect(feed.items).toHaveLength(3);
    for (const i of feed.items) expect(i.title).not.toMatch(scriptLike);
    expect(feed.items[1]?.title).toBe("after");
    expect(feed.items[2]?.title).toBe("Breaking");
  });

  it("keeps text that merely looks like a tag as the text it is (escaped wherever it is shown)", () => {
    const feed = parseFeed(
      rss(
        item(`<title>History of the &lt;blink&gt; tag</title><link>https://x.org/1</link><description><![CDATA[<code>&lt;br /></code> &amp;lt;b&amp;gt;]]></description>`),
      ),
      options,
    );
    expect(feed.items[0]).toMatchObject({ title: "History of the <blink> tag", summary: "<br /> &lt;b&gt;" });
  });

  it("refuses an entity bomb (billion laughs) with a clear error", () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>https://x.org/</link></item></channel></rss>`;
    expect(parseError(bomb)).toMatch(/refused: the DOCTYPE declares entities/);
  });

  it("refuses external entities (XXE), including parameter entities", () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&xxe;</title><link>https://x.org/</link></item></channel></rss>`;
    expect(parseError(xxe)).toMatch(/XXE/);
    const parameter = `<!-- c --><!DOCTYPE rss [ <!-- ']' --> <!ENTITY % remote SYSTEM "http://169.254.169.254/"> %remote; ]><rss/>`;
    expect(parseError(parameter)).toMatch(/refused/);
  });

  it("leaves undeclared entity references as text instead of expanding anything", () => {
    const feed = parseFeed(rss(item(`<title>A &undefined; B &nbsp;C</title><link>https://x.org/1</link>`)), options);
    expect(feed.items[0]?.title).toBe("A &undefined; B C");
  });

  it("gives clear errors for things that are not feeds", () => {
    expect(parseError("")).toMatch(/not a feed/);
    expect(parseError("just some text")).toMatch(/not a feed/);
    expect(parseError("<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>")).toMatch(/HTML page/);
    expect(parseError(`<?xml version="1.0"?><opml version="2.0"><body/></opml>`)).toMatch(/root element <opml>/);
    expect(parseError(`<rss><channel><item><title>unclosed`)).toMatch(/malformed XML/);
    expect(parseError(`<!DOCTYPE rss [ <!ENTITY x "y"`)).toMatch(/refused/);
  });

  it("reads a mismatched-tag document leniently and says so", () => {
    const feed = parseFeed(`<rss><channel><item><title>Ok</title><link>https://x.org/1</link></item><bogus></channel></rss>`, options);
    expect(feed.items.map((i) => i.title)).toEqual(["Ok"]);
    expect(feed.warnings[0]).toMatch(/malformed XML, read leniently/);
  });

  it("ignores elements named like JavaScript internals instead of failing or polluting prototypes", () => {
    const feed = parseFeed(
      rss(item(`<title>Safe</title><link>https://x.org/1</link><__proto__><polluted>yes</polluted></__proto__><constructor>x</constructor>`)),
      options,
    );
    expect(feed.items[0]?.title).toBe("Safe");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("drops items with neither a title nor any text to make one from, keeps the others", () => {
    const feed = parseFeed(
      rss([item(`<title>  </title><link>https://x.org/1</link>`), item(`<link>https://x.org/2</link><description> &lt;p&gt; &lt;/p&gt; </description>`), item(`<title>Kept</title><link>https://x.org/3</link>`)].join("")),
      options,
    );
    expect(feed.items.map((i) => i.title)).toEqual(["Kept"]);
    expect(feed.warnings).toContain("2 item(s) dropped: no title, and no text to make one from");
  });

  it("cuts long summaries at a word boundary near 300 characters", () => {
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`).join(" ");
    const feed = parseFeed(rss(item(`<title>Long</title><link>https://x.org/1</link><description>${words}</description>`)), options);
    const summary = feed.items[0]!.summary;
    expect(summary.length).toBeLessThanOrEqual(300);
    expect(summary.length).toBeGreaterThan(250);
    expect(summary.endsWith("…")).toBe(true);
    expect(words.startsWith(summary.slice(0, -1))).toBe(true);
    expect(words[summary.length - 1]).toBe(" ");
  });

  it("never throws anything but FeedParseError and never outputs markup, whatever the input", () => {
    const fragments = [
      "<rss>", "</rss>", "<channel>", "</channel>", "<item>", "</item>", "<title>", "</title>", "<link>", "</link>",
      "<description>", "</description>", "<![CDATA[", "]]>", "&lt;script&gt;", "<script>", "&amp;", "&#x3c;", "&#0;",
      "&bogus;", "https://x.org/a", "/rel", "<!DOCTYPE rss>", "<?xml version='1.0'?>", "<feed>", "<entry>", "</entry>",
      "<link href='/a'/>", "<pubDate>", "</pubDate>", "Tue, 11 Mar 2025 10:00:00 GMT", "<", ">", "\"", "'", "text", "\u0000",
    ];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string()), { maxLength: 40 }), (parts) => {
        try {
          const feed = parseFeed(parts.join(""), options);
          for (const i of feed.items) {
            expect(`${i.title} ${i.summary} ${i.author ?? ""}`).not.toMatch(scriptLike);
            expect(i.title).not.toBe("");
            expect(i.link).toMatch(/^https?:\/\//);
            expect(Number.isNaN(i.published.getTime())).toBe(false);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(FeedParseError);
        }
      }),
      { numRuns: 400 },
    );
  });
});
