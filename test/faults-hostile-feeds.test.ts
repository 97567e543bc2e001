// Hostile feeds, all in ONE ingestion run beside good ones, over real HTTP on 127.0.0.1: an entity bomb,
// external entities (a file, a URL on our own server, a parameter entity), a 50 MB answer (declared, and
// streamed without a length), a gzip bomb, an endless redirect loop and an endless redirect chain, a
// slow-drip body, a server that never answers, an empty answer, binary bytes, absurdly deep nesting, and
// wrong encodings (windows-1251 behind a UTF-8 header, UTF-8 behind a Latin-1 header, UTF-16, invalid
// bytes). Each bad feed is refused within its limit (bytes read, redirects followed, time) with the error
// kept on its source row and the source backed off; every good feed (and every mis-labelled but readable
// one) is ingested. The fetcher's own tests (feeds-fetch.test.ts) check each limit alone; this checks
// they hold together inside runIngestion, where one feed must never hold up or take down the others.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { articles, sources } from "../db/schema";
import { testConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { runIngestion, type IngestSummary } from "../src/ingest/ingest";
import { nodeIngestDeps } from "../src/node/ingest-deps";
import type { SourceRecord } from "../src/feeds/types";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { rss } from "./helpers/ingest-feed-server";
import { invariantViolations } from "./helpers/invariants";

const NOW = new Date("2026-03-02T12:00:00Z");
const MB = 1024 * 1024;
const TIMEOUT_MS = 2_000;
const MAX_BYTES = 5_000_000;
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

/** windows-1251 bytes for ASCII and the basic Cyrillic block (А–я). */
function cp1251(text: string): Buffer {
  return Buffer.from([...text].map((ch) => {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) return c;
    if (c >= 0x410 && c <= 0x44f) return c - 0x410 + 0xc0;
    throw new Error(`not in the test's cp1251 table: ${ch}`);
  }));
}

const item = (title: string, link: string, hours: number) => ({ title, link, description: `${title}. Two lines about it.`, pubDate: hoursAgo(hours), guid: link });
const BOMB = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>https://bomb.example/1</link></item></channel></rss>`;
const xxe = (doctype: string) => `<?xml version="1.0"?>${doctype}<rss version="2.0"><channel><title>XXE</title><link>https://xxe.example/</link><item><title>Leak &xxe;</title><link>https://xxe.example/1</link><description>&xxe;</description></item></channel></rss>`;

interface Watch {
  hits: number;
  bytesWritten: number;
  /** The client closed the connection before the server had sent everything. */
  cutOff: boolean;
}
const watch = new Map<string, Watch>();
const w = (path: string): Watch => {
  let x = watch.get(path);
  if (!x) watch.set(path, (x = { hits: 0, bytesWritten: 0, cutOff: false }));
  return x;
};

let server: Server;
let base: string;
let database: TestDatabase;
let gzipBomb: Buffer;
const timers = new Set<NodeJS.Timeout>();

/** Streams `total` bytes (a feed opening, then filler) with backpressure, noting how much went out. */
function stream(res: ServerResponse, watchOf: Watch, total: number, declareLength: boolean) {
  res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", ...(declareLength ? { "content-length": String(total) } : {}) });
  const head = Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title><description>`);
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  let sent = 0;
  let done = false;
  res.on("close", () => {
    if (!done) watchOf.cutOff = true;
    done = true;
  });
  const pump = () => {
    while (!done && sent < total) {
      const piece = sent === 0 ? head : chunk.subarray(0, Math.min(chunk.length, total - sent));
      sent += piece.length;
      watchOf.bytesWritten = sent;
      if (!res.write(piece)) return void res.once("drain", pump);
    }
    if (!done && sent >= total) {
      done = true;
      res.end();
    }
  };
  pump();
}

function route(req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? "/", "http://local").pathname;
  const watchOf = w(path);
  watchOf.hits++;
  const xml = (body: string | Buffer, type = "application/rss+xml; charset=utf-8") => void res.writeHead(200, { "content-type": type }).end(body);
  switch (path) {
    case "/good-jp.xml":
      return xml(rss("Tokyo Good Times", "en", [item("Osaka opens a floating school for river children", "https://good-jp.example/1", 3), item("Hokkaido farmers test snow storage for summer cooling", "https://good-jp.example/2", 4)]));
    case "/good-ke.xml":
      return xml(rss("Nairobi Good Herald", "en", [item("Mombasa fishers map coral with phone cameras", "https://good-ke.example/1", 2)]));
    case "/cp1251-behind-utf8.xml": {
      const body = `<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Волга</title><link>https://volga.example/</link><language>ru</language><item><title>Паромы на Волге снова ходят</title><link>https://volga.example/1</link><pubDate>${hoursAgo(5).toUTCString()}</pubDate></item></channel></rss>`;
      return xml(cp1251(body), "application/rss+xml; charset=utf-8");
    }
    case "/utf8-behind-latin1.xml":
      return xml(Buffer.from(rss("Café Crème", "fr", [item("Les élèves de Lyon réinventent la cantine", "https://lyon.example/1", 6)]), "utf8"), "text/xml; charset=iso-8859-1");
    case "/utf16.xml":
      return xml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(rss("Seoul UTF-16", "en", [item("Busan ferry adds night crossings", "https://busan.example/1", 7)]).replace('encoding="UTF-8"', 'encoding="UTF-16"'), "utf16le")]), "text/xml");
    case "/invalid-bytes.xml": {
      const text = rss("Broken Bytes", "en", [item("Lagos XXXX market reopens after the fire", "https://lagos.example/1", 8)]);
      const bytes = Buffer.from(text, "utf8");
      const at = bytes.indexOf("XXXX");
      bytes[at] = 0xff;
      bytes[at + 1] = 0xc3;
      bytes[at + 2] = 0x28;
      bytes[at + 3] = 0x80;
      return xml(bytes);
    }
    case "/entity-bomb.xml":
      return xml(BOMB);
    case "/xxe-file.xml":
      return xml(xxe(`<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`));
    case "/xxe-url.xml":
      return xml(xxe(`<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${base}/xxe-probe">]>`));
    case "/xxe-parameter.xml":
      return xml(xxe(`<!DOCTYPE rss [<!ENTITY % remote SYSTEM "${base}/xxe-dtd"> %remote;]>`));
    case "/xxe-probe":
    case "/xxe-dtd":
      return xml(`<!ENTITY xxe "LEAKED-BY-XXE">`, "application/xml-dtd");
    case "/huge-declared.xml":
      return stream(res, watchOf, 50 * MB, true);
    case "/huge-streamed.xml":
      return stream(res, watchOf, 50 * MB, false);
    case "/gzip-bomb.xml":
      res.writeHead(200, { "content-type": "application/rss+xml", "content-encoding": "gzip" });
      return void res.end(gzipBomb);
    case "/redirect-loop.xml":
      return void res.writeHead(302, { location: "/redirect-loop.xml" }).end();
    case "/slow-drip.xml": {
      res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8" });
      const body = rss("Slow", "en", [item("Drip", "https://slow.example/1", 1)]);
      let i = 0;
      let done = false;
      res.on("close", () => {
        if (!done) watchOf.cutOff = true;
        done = true;
      });
      const timer = setInterval(() => {
        if (done) return void clearInterval(timer);
        res.write(body[i++] ?? " ");
        watchOf.bytesWritten = i;
        if (i >= body.length) {
          done = true;
          clearInterval(timer);
          res.end();
        }
      }, 100);
      timers.add(timer);
      return;
    }
    case "/hang.xml":
      req.socket.once("close", () => (watchOf.cutOff = true));
      return; // never answers
    case "/empty.xml":
      return xml("");
    case "/binary.xml":
      return xml(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    case "/deep.xml":
      return xml(`<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><item><title>Deep</title><link>https://deep.example/1</link><description>${"<div>".repeat(50_000)}x${"</div>".repeat(50_000)}</description></item></channel></rss>`);
  }
  const chain = /^\/redirect-chain\/(\d+)$/.exec(path);
  if (chain) return void res.writeHead(301, { location: `/redirect-chain/${Number(chain[1]) + 1}` }).end();
  res.writeHead(404).end("not found");
}

type Expect = { ok: true; title?: string } | { ok: false; error: RegExp };
const feeds: Array<{ path: string; slug: string; country: string; language: string; expect: Expect }> = [
  { path: "/good-jp.xml", slug: "jp-good", country: "JP", language: "en", expect: { ok: true, title: "Osaka opens a floating school" } },
  { path: "/good-ke.xml", slug: "ke-good", country: "KE", language: "en", expect: { ok: true, title: "Mombasa fishers map coral" } },
  { path: "/cp1251-behind-utf8.xml", slug: "ru-cp1251", country: "RU", language: "ru", expect: { ok: true, title: "Паромы на Волге снова ходят" } },
  { path: "/utf8-behind-latin1.xml", slug: "fr-latin1", country: "FR", language: "fr", expect: { ok: true, title: "Les élèves de Lyon réinventent la cantine" } },
  { path: "/utf16.xml", slug: "kr-utf16", country: "KR", language: "en", expect: { ok: true, title: "Busan ferry adds night crossings" } },
  { path: "/invalid-bytes.xml", slug: "ng-invalid-bytes", country: "NG", language: "en", expect: { ok: true, title: "market reopens after the fire" } },
  { path: "/entity-bomb.xml", slug: "de-entity-bomb", country: "DE", language: "de", expect: { ok: false, error: /DOCTYPE declares entities/ } },
  { path: "/xxe-file.xml", slug: "it-xxe-file", country: "IT", language: "it", expect: { ok: false, error: /external entity|DOCTYPE declares entities/ } },
  { path: "/xxe-url.xml", slug: "es-xxe-url", country: "ES", language: "es", expect: { ok: false, error: /external entity|DOCTYPE declares entities/ } },
  { path: "/xxe-parameter.xml", slug: "pt-xxe-parameter", country: "PT", language: "pt", expect: { ok: false, error: /external entity|DOCTYPE declares entities/ } },
  { path: "/huge-declared.xml", slug: "br-huge-declared", country: "BR", language: "pt", expect: { ok: false, error: /more than the 5000000-byte limit/ } },
  { path: "/huge-streamed.xml", slug: "mx-huge-streamed", country: "MX", language: "es", expect: { ok: false, error: /exceeds the 5000000-byte limit/ } },
  { path: "/gzip-bomb.xml", slug: "in-gzip-bomb", country: "IN", language: "en", expect: { ok: false, error: /5000000-byte limit/ } },
  { path: "/redirect-loop.xml", slug: "tr-redirect-loop", country: "TR", language: "tr", expect: { ok: false, error: /more than 5 redirects/ } },
  { path: "/redirect-chain/0", slug: "pl-redirect-chain", country: "PL", language: "pl", expect: { ok: false, error: /more than 5 redirects/ } },
  { path: "/slow-drip.xml", slug: "eg-slow-drip", country: "EG", language: "ar", expect: { ok: false, error: new RegExp(`within ${TIMEOUT_MS} ms`) } },
  { path: "/hang.xml", slug: "za-hang", country: "ZA", language: "en", expect: { ok: false, error: new RegExp(`within ${TIMEOUT_MS} ms`) } },
  { path: "/empty.xml", slug: "ar-empty", country: "AR", language: "es", expect: { ok: false, error: /not a feed/ } },
  { path: "/binary.xml", slug: "cl-binary", country: "CL", language: "es", expect: { ok: false, error: /not a feed|malformed/ } },
];

let summary: IngestSummary;
let runMs = 0;

beforeAll(async () => {
  gzipBomb = gzipSync(Buffer.alloc(50 * MB, 0x20));
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  database = await createTestDatabase();
  const catalog: SourceRecord[] = feeds.map((f) => ({ slug: f.slug, name: f.slug, country: f.country, language: f.language, isReference: false, feedUrl: `${base}${f.path}`, homepage: "https://example.org/", isSample: false }));
  catalog.push({ slug: "gr-deep", name: "gr-deep", country: "GR", language: "el", isReference: false, feedUrl: `${base}/deep.xml`, homepage: "https://example.org/", isSample: false });
  const started = Date.now();
  summary = await runIngestion(
    nodeIngestDeps({
      db: database.db,
      config: testConfig({ FEED_ALLOW_PRIVATE: true, SAMPLE_CONTENT: "off", FEED_CONCURRENCY: 8, FEED_TIMEOUT_MS: TIMEOUT_MS, FEED_MAX_BYTES: MAX_BYTES }),
      log: silentLogger,
      catalog: () => catalog,
    }),
    { now: NOW, translator: null },
  );
  runMs = Date.now() - started;
}, 120_000);

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await database?.drop();
});

describe("one ingestion run with hostile feeds beside good ones", () => {
  it("refuses every hostile feed with a clear error and ingests every good or merely mis-labelled one", async () => {
    const bySlug = new Map(summary.sources.map((s) => [s.slug, s]));
    const report: string[] = [];
    for (const f of feeds) {
      const outcome = bySlug.get(f.slug);
      expect(outcome, f.slug).toBeDefined();
      report.push(`${f.slug}: ${outcome!.status}${outcome!.error ? ` (${outcome!.error.slice(0, 90)})` : ` +${outcome!.new}`}`);
      if (f.expect.ok) {
        expect(outcome, f.slug).toMatchObject({ status: "ok" });
        expect(outcome!.new, f.slug).toBeGreaterThan(0);
        const stored = await database.db.select({ title: articles.title }).from(articles).where(eq(articles.sourceId, outcome!.sourceId));
        expect(stored.map((a) => a.title).join(" | "), f.slug).toContain(f.expect.title);
      } else {
        expect(outcome!.status, f.slug).toBe("error");
        expect(outcome!.error, f.slug).toMatch(f.expect.error);
      }
    }
    console.log(`hostile-feeds run: ${runMs} ms for ${summary.sources.length} feeds\n  ${report.join("\n  ")}`);
    expect(summary.totals.errors).toBeGreaterThanOrEqual(feeds.filter((f) => !f.expect.ok).length);
  });

  it("keeps each refusal on its source row and backs the source off", async () => {
    const rows = await database.db.select().from(sources);
    for (const f of feeds) {
      if (f.expect.ok) continue;
      const row = rows.find((r) => r.slug === f.slug)!;
      expect(row.lastError, f.slug).toMatch(f.expect.error);
      expect(row.consecutiveFailures, f.slug).toBe(1);
      expect(row.nextFetchAt!.getTime(), f.slug).toBeGreaterThan(NOW.getTime());
      expect(row.lastSuccessAt, f.slug).toBeNull();
    }
    for (const f of feeds.filter((x) => x.expect.ok)) {
      const row = rows.find((r) => r.slug === f.slug)!;
      expect(row.lastError, f.slug).toBeNull();
      expect(row.lastSuccessAt, f.slug).not.toBeNull();
    }
  });

  it("stopped each hostile server within its limit: bytes read, redirects followed, time waited", async () => {
    // A hung-up connection reaches the server a moment after the client gave up.
    await vi.waitFor(() => expect(["/huge-streamed.xml", "/slow-drip.xml", "/hang.xml"].map((p) => w(p).cutOff)).toEqual([true, true, true]), { timeout: 3_000 });
    // 50 MB offered: the declared one is refused before its body is read, the streamed one at the cap
    // (what the server managed to push into socket buffers meanwhile is far below 50 MB).
    expect(w("/huge-declared.xml").bytesWritten).toBeLessThan(50 * MB);
    expect(w("/huge-streamed.xml").cutOff).toBe(true);
    expect(w("/huge-streamed.xml").bytesWritten).toBeLessThan(25 * MB);
    // Redirects: the first request and 5 more, never a 7th.
    expect(w("/redirect-loop.xml").hits).toBe(6);
    const chainHits = [...watch.entries()].filter(([p]) => p.startsWith("/redirect-chain/")).reduce((n, [, x]) => n + x.hits, 0);
    expect(chainHits).toBe(6);
    // The slow drip and the silent server were hung up on, not waited out.
    expect(w("/slow-drip.xml").cutOff).toBe(true);
    expect(w("/slow-drip.xml").bytesWritten).toBeLessThan(rss("Slow", "en", [item("Drip", "https://slow.example/1", 1)]).length);
    expect(w("/hang.xml").cutOff).toBe(true);
    // Each feed was asked for once.
    for (const f of feeds.filter((x) => !x.path.startsWith("/redirect"))) expect(w(f.path).hits, f.path).toBe(1);
  });

  it("never resolved an external entity: nothing fetched, no file read, nothing leaked into articles", async () => {
    expect(w("/xxe-probe").hits).toBe(0);
    expect(w("/xxe-dtd").hits).toBe(0);
    const all = await database.db.select({ title: articles.title, summary: articles.summary, originalTitle: articles.originalTitle }).from(articles);
    const text = JSON.stringify(all);
    expect(text).not.toContain("LEAKED-BY-XXE");
    expect(text).not.toMatch(/root:.*:0:0:/);
    expect(text).not.toContain("lollollol");
  });

  it("an absurdly deep document neither crashes the run nor stores markup", async () => {
    const deep = summary.sources.find((s) => s.slug === "gr-deep")!;
    expect(["ok", "error"]).toContain(deep.status);
    expect(await invariantViolations(database.db)).toEqual([]);
  });

  it("the next run leaves the refused sources alone until their backoff ends", async () => {
    const before = new Map([...watch.entries()].map(([p, x]) => [p, x.hits]));
    const again = await runIngestion(
      nodeIngestDeps({ db: database.db, config: testConfig({ FEED_ALLOW_PRIVATE: true, SAMPLE_CONTENT: "off", FEED_TIMEOUT_MS: TIMEOUT_MS }), log: silentLogger, catalog: () => [] }),
      { now: new Date(NOW.getTime() + 60_000), translator: null },
    );
    for (const f of feeds.filter((x) => !x.expect.ok)) expect(w(f.path).hits, f.path).toBe(before.get(f.path));
    expect(again.sources.every((s) => s.status !== "error")).toBe(true);
  });
});
