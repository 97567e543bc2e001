// Hostile strings (test/helpers/hostile.ts: script tags, javascript: links, attribute breakouts, </title>,
// bidi overrides, zero-width, homoglyphs, NUL, lone surrogates, enormous strings) sent in through every way
// text gets in — the subscribe and manage forms, addresses that are valid yet hostile, articles pushed by
// the news app, items of a feed served over HTTP — and followed out to every place they are shown: the
// pages, the confirmation email, the digest email as the provider receives it, and the digest renderer fed
// directly. Nothing may execute: no script element, no event-handler attribute, no link but http(s).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Hono } from "hono";
import { createApp } from "../src/app";
import { buildDigest } from "../src/digest/build-digest";
import { createDigestRenderer, renderDigestFull } from "../src/digest/render-digest";
import { runTick } from "../src/digest/tick";
import type { CandidateArticle, SelectedStory } from "../src/digest/types";
import { runIngestion } from "../src/ingest/ingest";
import { nodeIngestDeps } from "../src/node/ingest-deps";
import { freshManageLink, linkFor } from "../src/tokens";
import { parseEmail } from "../src/subscriptions/preferences";
import { maskedEmail } from "../src/subscriptions/mailbox";
import { findSubscriberByEmail } from "../db/queries/subscribers";
import { countries } from "../src/countries";
import { previewBuildInput, sampleStories } from "../emails/preview-data";
import { createDigestWorld, addSubscriber, type DigestWorld } from "./helpers/digest-world";
import { startFeedServer, type FeedServer } from "./helpers/ingest-feed-server";
import { ORIGIN } from "./helpers/app";
import { ENORMOUS, HOSTILE_STRINGS, MARKUP_ATTACKS, URL_ATTACKS } from "./helpers/hostile";
import { linksIn, unsafeHtmlFindings } from "./helpers/html-safety";
import { invariantViolations } from "./helpers/invariants";
import type { SentEmail } from "./helpers/fake-resend";

const NOW = "2026-03-02T12:00:00Z";
const API_TOKEN = "test-api-token-0123456789abcdef";
const PAGE = { allowScriptSrc: ["/assets/app.js"] };

let w: DigestWorld;
let app: Hono;
let feeds: FeedServer;

beforeAll(async () => {
  w = await createDigestWorld(NOW, {
    API_TOKEN,
    RATE_LIMIT_SUBSCRIBE_PER_HOUR: 100_000,
    FEED_ALLOW_PRIVATE: true,
    SAMPLE_CONTENT: "off",
    DIGEST_MAX_PER_COUNTRY: 20,
    DIGEST_MAX_STORIES: 50,
  });
  app = createApp(w.deps);
  feeds = await startFeedServer();
});
afterAll(async () => {
  await feeds?.close();
  await w?.close();
});

const canonical = (address: string) => {
  const parsed = parseEmail(address);
  if (!parsed.ok) throw new Error(`${address} is not a valid address`);
  return parsed.value;
};

/** What hono/jsx writes for a text or attribute value. */
const escaped = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

const form = (fields: Record<string, string | string[]>, path = "/subscribe") => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return app.request(path, { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN } });
};

function expectInertEmail(email: Pick<SentEmail, "html" | "text" | "subject" | "headers">, context: string) {
  expect(unsafeHtmlFindings(email.html ?? ""), context).toEqual([]);
  for (const href of linksIn(email.html ?? "")) expect(href, context).toMatch(/^https?:\/\//);
  expect(email.subject, context).not.toMatch(/[\r\n]/);
  for (const [k, v] of Object.entries(email.headers ?? {})) expect(`${k}: ${v}`, context).not.toMatch(/[\r\n]/);
}

const wordFor = (i: number, k: number) => {
  // Letters only, distinct per article: keeps each hostile article its own story when clustering.
  let n = i * 7 + k + 1;
  let s = "";
  while (n > 0) {
    s += "bcdfghjklmnpqrstvwxz"[n % 20];
    n = Math.floor(n / 20);
  }
  return `${["quor", "zell", "vint", "plax"][k]}${s}`;
};
const distinctWords = (i: number) => [0, 1, 2, 3].map((k) => wordFor(i, k)).join(" ");

describe("the checker", () => {
  it("finds what would run, so its silence below means something", () => {
    const bad = [
      `<p>x</p><script>alert(1)</script>`,
      `<img src=x onerror=alert(1)>`,
      `<a href="javascript:alert(1)">x</a>`,
      `<a href=" &#106;avascript:alert(1)">x</a>`,
      `<a href="java&#x09;script:alert(1)">x</a>`,
      `<a href="data:text/html,x">x</a>`,
      `<div style="background:url(javascript:alert(1))">x</div>`,
      `<title>a</title><title>b</title>`,
      `<p title="" onmouseover="alert(1)">x</p>`,
      `<iframe src="https://evil.example/"></iframe>`,
      `<meta http-equiv="refresh" content="0;url=https://evil.example/">`,
    ];
    for (const html of bad) expect(unsafeHtmlFindings(html), html).not.toEqual([]);
    const fine = `<title>&lt;script&gt;</title><p title="&quot; onmouseover=&quot;x">&lt;img onerror=x&gt; javascript:alert(1)</p><a href="https://example.com/?a=1&amp;b=2">x</a><a href="/manage/x">m</a>`;
    expect(unsafeHtmlFindings(fine)).toEqual([]);
  });
});

describe("subscriber input", () => {
  const fields = ["email", "countries", "frequency", "weeklyDay", "deliveryTime", "timeZone"] as const;
  const valid = { email: "hostile-form@example.com", countries: ["JP", "KE"], frequency: "weekly", weeklyDay: "3", deliveryTime: "07:00", timeZone: "Europe/London" };

  it("every hostile string in every field of the subscribe form comes back inert (and escaped) in the page", async () => {
    let reflected = 0;
    for (const hostile of [...HOSTILE_STRINGS, ...ENORMOUS.filter((s) => s.length < 30_000)]) {
      for (const field of fields) {
        const res = await form({ ...valid, [field]: field === "countries" ? [hostile, "JP"] : hostile });
        const context = `${field} = ${JSON.stringify(hostile.slice(0, 60))}`;
        expect([200, 400], context).toContain(res.status);
        const html = await res.text();
        expect(unsafeHtmlFindings(html, PAGE), context).toEqual([]);
        if (field === "email" && res.status === 400 && hostile.trim() !== "" && !/[\u0000\ud800-\udfff]/.test(hostile)) {
          expect(html, context).toContain(`value="${escaped(hostile)}"`);
          reflected++;
        }
      }
    }
    expect(reflected).toBeGreaterThan(40);
    expect(await invariantViolations(w.db)).toEqual([]);
  }, 180_000);

  it("an enormous form is refused with 413 before anything is parsed", async () => {
    for (const big of ENORMOUS) {
      const res = await form({ ...valid, email: big.repeat(2) });
      expect([400, 413]).toContain(res.status);
      if (big.length * 2 > 64 * 1024) expect(res.status).toBe(413);
      expect(unsafeHtmlFindings(await res.text(), PAGE)).toEqual([]);
    }
  });

  // Addresses the validator accepts although they carry quotes, ampersands, braces, percent signs or
  // look-alike letters: they are stored and shown on every page, and in the confirmation email.
  const validButHostile = [
    "a'onmouseover='alert`1`'autofocus='@example.com",
    "x'/onfocus='alert`1`'@example.com",
    "javascript&#58alert@example.com",
    "{{constructor.constructor}}@example.com",
    "a&ltscript&gtb@example.com",
    "%3cscript%3e@example.com",
    "'--@example.com",
    "\u0430pple@example.com",
    "ｆｕｌｌ＜ｗｉｄｔｈ＞@example.com",
    "e\u0301\u0301\u0301@example.com",
  ];

  it("addresses that are valid yet hostile stay inert on the confirm, manage, delete and unsubscribe pages and in the confirmation email", async () => {
    for (const address of validButHostile) {
      const res = await form({ ...valid, email: address });
      expect(res.status, address).toBe(200);
      await w.drain(); // decided and mailed after the answer
      // Stored in its one canonical form (NFC local part, ASCII domain): e + three U+0301 becomes é + two.
      const row = await findSubscriberByEmail(w.db, canonical(address));
      expect(row, address).toBeDefined();
      const confirmation = w.fake.sent.filter((e) => e.to[0] === row!.email).at(-1);
      expect(confirmation, address).toBeDefined();
      expectInertEmail(confirmation!, `confirmation to ${address}`);

      const token = (purpose: "confirm" | "manage" | "unsubscribe") => linkFor("", w.deps.config.appSecret, purpose, row!, w.clock.now);
      const fresh = freshManageLink("", w.deps.config.appSecret, row!, w.clock.now);
      expect((await app.request(token("confirm"))).status).toBe(200);
      const confirmed = await form({}, token("confirm"));
      expect(confirmed.status).toBe(200);
      const pages = [token("confirm"), token("manage"), fresh, `${fresh}/delete`, token("unsubscribe")];
      let whole = 0;
      let masked = 0;
      for (const path of pages) {
        const page = await app.request(path);
        expect(page.status, `${path} for ${address}`).toBe(200);
        const html = await page.text();
        expect(unsafeHtmlFindings(html, PAGE), `${path} for ${address}`).toEqual([]);
        if (html.includes(escaped(row!.email))) whole++;
        else if (html.includes(escaped(maskedEmail(row!.email)))) masked++;
      }
      // The address is shown (escaped) whole on the manage and delete pages of a fresh link, partly hidden
      // on the manage page of a digest's link and on the unsubscribe page.
      expect(whole, address).toBeGreaterThanOrEqual(2);
      expect(masked, address).toBeGreaterThanOrEqual(2);
      const exported = await app.request(`${fresh}/export`);
      expect(exported.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await exported.json()) as { subscriber: { email: string } }).subscriber.email).toBe(row!.email);
    }
  });

  it("hostile values in the manage form come back inert and change nothing", async () => {
    const row = (await findSubscriberByEmail(w.db, canonical(validButHostile[0]!)))!;
    const path = linkFor("", w.deps.config.appSecret, "manage", row, w.clock.now);
    for (const hostile of HOSTILE_STRINGS) {
      for (const field of fields.slice(1)) {
        const res = await form({ ...valid, [field]: hostile }, path);
        expect([303, 400], `${field} = ${JSON.stringify(hostile)}`).toContain(res.status);
        if (res.status === 400) expect(unsafeHtmlFindings(await res.text(), PAGE)).toEqual([]);
      }
    }
    const after = (await findSubscriberByEmail(w.db, row.email))!;
    expect(after.countries.every((c) => ["JP", "KE"].includes(c))).toBe(true);
    expect(await invariantViolations(w.db)).toEqual([]);
  }, 120_000);
});

describe("articles pushed by the news app", () => {
  it("hostile titles, summaries, outlets and links are stored as plain text (or refused) and the digest email carries nothing that runs", async () => {
    await w.reset(NOW);
    const codes = countries.map((c) => c.code).filter((c) => c !== "US");
    const items = HOSTILE_STRINGS.map((hostile, i) => ({
      url: i % 4 === 3 ? URL_ATTACKS[i % URL_ATTACKS.length]! : `https://news${i}.example/story?i=${i}&x="><script>`,
      title: `${distinctWords(i)} ${hostile}`,
      summary: `${hostile} ${MARKUP_ATTACKS[i % MARKUP_ATTACKS.length]}`,
      originalTitle: hostile,
      outlet: `Outlet ${i} ${hostile}`,
      country: codes[i % 40]!,
      language: i % 2 ? "ja" : "en",
      published: new Date(Date.parse(NOW) - (i + 1) * 60_000).toISOString(),
    }));
    const res = await app.request("/api/articles", {
      method: "POST",
      headers: { Authorization: `Bearer ${API_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ articles: items }),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Array<{ status: string; reason?: string }> };
    const created = results.filter((r) => r.status === "created").length;
    const rejected = results.filter((r) => r.status === "rejected");
    // Non-http(s) links are refused with the reason; the rest are taken.
    expect(rejected.every((r) => /url/.test(r.reason ?? ""))).toBe(true);
    expect(created).toBeGreaterThan(HOSTILE_STRINGS.length / 2);
    expect(await invariantViolations(w.db)).toEqual([]);

    // Two readers split the 40 countries (at most 30 each); their digests carry every story.
    const due = new Date(Date.parse(NOW) - 60_000);
    await addSubscriber(w.db, { email: "reader-a@example.com", countries: codes.slice(0, 20), nextSendAt: due });
    await addSubscriber(w.db, { email: "reader-b@example.com", countries: codes.slice(20, 40), nextSendAt: due });
    const tick = await runTick(w.deps);
    expect(tick).toMatchObject({ sent: 2, failed: 0 });
    let storiesShown = 0;
    for (const email of w.fake.sent) {
      expectInertEmail(email, `digest to ${email.to[0]}`);
      storiesShown += (email.html ?? "").split("quor").length - 1;
      expect(email.html).not.toContain("<script");
    }
    expect(storiesShown).toBeGreaterThanOrEqual(created);
  }, 120_000);
});

describe("items of a feed fetched over HTTP", () => {
  it("parse, normalise, store and render: the hostile parts never reach the email as markup or links", async () => {
    await w.reset(NOW);
    const pub = new Date(Date.parse(NOW) - 3_600_000).toUTCString();
    const item = (i: number, title: string, link: string, description: string, extra = "") =>
      `<item><title>${title}</title><link>${link}</link><description>${description}</description><pubDate>${pub}</pubDate><guid isPermaLink="false">h-${i}</guid>${extra}</item>`;
    const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    const hostileItems = [
      item(1, `${distinctWords(1)} <![CDATA[<script>alert(1)</script> breaking]]>`, "https://feed.example/1", `<![CDATA[<p onclick="alert(1)">Hi</p><a href="javascript:alert(1)">x</a><img src=x onerror=alert(1)>]]>`),
      item(2, `${distinctWords(2)} &lt;script&gt;alert(1)&lt;/script&gt;`, "javascript:alert(1)", "plain"),
      item(3, `${distinctWords(3)} &amp;lt;script&amp;gt;alert(2)&amp;lt;/script&amp;gt;`, "https://feed.example/3?a=&quot;&gt;&lt;script&gt;", esc(`"><img src=x onerror=alert(1)>`)),
      item(4, `${distinctWords(4)} ${esc("</title><script>alert(1)</script>")}`, " JaVaScRiPt:alert(1)", esc("<svg/onload=alert(1)>")),
      item(5, `${distinctWords(5)} \u202Egnp.exe pay\u200Bpal \u0430pple`, "data:text/html;base64,PHNjcmlwdD4=", "&#0;&#xD800;&#x202E;x"),
      item(6, `${distinctWords(6)} &#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;`, "https://feed.example/6", `${"A".repeat(200_000)} <script>alert(1)</script>`),
      item(7, `${distinctWords(7)} ${esc(`' onmouseover='alert(1)`)} ${esc(`" style="background:url(javascript:alert(1))`)}`, "//evil.example/7", "x"),
      item(8, `${distinctWords(8)} plain title with a hostile link`, "https://feed.example/8\"><script>alert(1)</script>", "x"),
      item(9, `${distinctWords(9)} fine`, "https://feed.example/9", "fine", `<enclosure url="javascript:alert(1)"/>`),
    ];
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Hostile &lt;b&gt;Herald&lt;/b&gt;</title><link>https://feed.example/</link><language>en</language>\n${hostileItems.join("\n")}\n</channel></rss>`;
    feeds.feeds.set("/hostile.xml", { body: xml });
    const summary = await runIngestion(
      nodeIngestDeps({
        db: w.db,
        config: w.deps.config,
        log: w.deps.log,
        catalog: () => [{ slug: "ng-hostile", name: "Hostile <b>Herald</b>", country: "NG", language: "en", isReference: false, feedUrl: `${feeds.url}/hostile.xml`, homepage: "https://feed.example/", isSample: false }],
      }),
      { now: new Date(NOW), translator: null },
    );
    const outcome = summary.sources.find((s) => s.slug === "ng-hostile")!;
    expect(outcome, JSON.stringify(summary.sources)).toMatchObject({ status: "ok" });
    expect(outcome.new).toBeGreaterThanOrEqual(5);
    expect(await invariantViolations(w.db)).toEqual([]);

    await addSubscriber(w.db, { email: "feed-reader@example.com", countries: ["NG"], nextSendAt: new Date(Date.parse(NOW) - 60_000) });
    const tick = await runTick(w.deps);
    expect(tick).toMatchObject({ sent: 1, failed: 0 });
    const email = w.fake.sent[0]!;
    expectInertEmail(email, "digest from the hostile feed");
    expect(email.html).not.toContain("feed.example/8\"");
    // The stories did reach the email (as text).
    expect((email.html ?? "").split("quor").length - 1).toBeGreaterThanOrEqual(outcome.new);
    expect(email.text).not.toMatch(/<script/i);
  }, 120_000);
});

describe("the digest renderer fed hostile story text directly", () => {
  const art = (base: CandidateArticle, hostile: string, i: number): CandidateArticle => ({
    ...base,
    id: 50_000 + i,
    title: `${hostile} title`,
    summary: `${hostile} summary`,
    outlet: `${hostile} outlet`,
    originalTitle: hostile,
    language: hostile.slice(0, 10),
    url: URL_ATTACKS.includes(hostile) ? hostile : `https://example.com/${i}?q=${hostile}`,
  });

  it("every hostile string in every field of a story, a take, the greeting and the footer: no script, no handler, only http(s) links", async () => {
    const [a, b] = sampleStories();
    const renderer = createDigestRenderer();
    for (const [i, hostile] of [...HOSTILE_STRINGS, ...ENORMOUS].entries()) {
      const story: SelectedStory = {
        ...a!,
        id: 70_000 + i,
        title: hostile,
        overlookedReason: hostile,
        lead: art(a!.lead, hostile, i * 3),
        alternatives: [art(a!.alternatives[0]!, hostile, i * 3 + 1), art(b!.lead, hostile, i * 3 + 2)],
      };
      const digest = buildDigest({
        ...previewBuildInput,
        stories: [story, b!],
        greeting: hostile,
        postalAddress: `${hostile} 1 Example Street`,
      });
      const context = JSON.stringify(hostile.slice(0, 60));
      for (const rendered of [await renderDigestFull(digest), await renderer.render(digest)]) {
        expectInertEmail({ ...rendered, headers: {} }, context);
        expect(rendered.html.match(/<title>/g)?.length ?? 0, context).toBeLessThanOrEqual(1);
      }
    }
  }, 120_000);
});
