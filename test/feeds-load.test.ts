// loadFeed end to end: a real HTTP server on 127.0.0.1 serving feeds in legacy encodings, broken and
// hostile documents, local files (CLI only) and sample feeds.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testConfig } from "../src/config";
import { loadFeed, loadFeedOptions, type LoadFeedOptions } from "../src/node/feeds";

const now = new Date("2025-03-12T12:00:00Z");
// "Новости" in windows-1251.
const cyrillic = Buffer.from("cdeee2eef1f2e8", "hex");
const russianFeed = Buffer.concat([
  Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel><title>RU</title><link>https://ru.example.org/</link><language>ru</language><item><title>`),
  cyrillic,
  Buffer.from(`</title><link>/a?utm_source=x</link><pubDate>Tue, 11 Mar 2025 10:00:00 +0300</pubDate></item></channel></rss>`),
]);
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/ru") {
      if (req.headers["if-none-match"] === '"r1"') return void res.writeHead(304).end();
      return void res.writeHead(200, { "content-type": "text/xml; charset=windows-1251", etag: '"r1"' }).end(russianFeed);
    }
    if (req.url === "/html") return void res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><html><body>Welcome</body></html>");
    if (req.url === "/bomb") {
      return void res.writeHead(200).end(`<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><rss><channel><title>&b;</title></channel></rss>`);
    }
    if (req.url === "/no-lang") {
      return void res.writeHead(200).end(`<rss><channel><title>x</title><item><title>Hola</title><link>https://x.example.org/1</link></item></channel></rss>`);
    }
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const options: LoadFeedOptions = { now, timeoutMs: 2_000, maxBytes: 1_000_000, allowPrivate: true, userAgent: "WorldDigest/0.1 (+http://localhost)" };

describe("loadFeed", () => {
  it("fetches, decodes, parses and normalises; the validators make the next fetch conditional", async () => {
    const result = await loadFeed({ url: `${base}/ru` }, options);
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.encoding).toBe("windows-1251");
    expect(result.etag).toBe('"r1"');
    expect(result.feed.items).toEqual([
      {
        title: "Новости",
        titleDerived: false,
        link: "https://ru.example.org/a",
        summary: "",
        published: new Date("2025-03-11T07:00:00Z"),
        language: "ru",
        author: null,
        guid: null,
      },
    ]);
    expect(await loadFeed({ url: `${base}/ru`, etag: result.etag }, options)).toEqual({ status: "not-modified", finalUrl: `${base}/ru` });
  });

  it("uses the source's language when the feed declares none", async () => {
    const result = await loadFeed({ url: `${base}/no-lang`, language: "es" }, options);
    expect(result.status === "ok" && result.feed.items[0]?.language).toBe("es");
  });

  it("returns parse errors and fetch errors as values", async () => {
    expect(await loadFeed({ url: `${base}/html` }, options)).toEqual({ status: "error", code: "parse", error: "not a feed: got an HTML page" });
    expect(await loadFeed({ url: `${base}/bomb` }, options)).toMatchObject({ status: "error", code: "parse", error: expect.stringMatching(/refused/) });
    expect(await loadFeed({ url: `${base}/500` }, options)).toMatchObject({ status: "error", code: "http-status", httpStatus: 500 });
    expect(await loadFeed({ url: `${base}/ru` }, { ...options, allowPrivate: false })).toMatchObject({ status: "error", code: "blocked-address" });
  });

  it("reads local files only when allowed (the CLI), never for ingestion", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wd-feed-"));
    const file = join(dir, "feed.xml");
    // A file has no Content-Type header: its XML declaration names the encoding.
    writeFileSync(file, Buffer.concat([Buffer.from('<?xml version="1.0" encoding="windows-1251"?>'), russianFeed.subarray(21)]));
    for (const url of [file, pathToFileURL(file).href, "/etc/passwd", "file:///etc/passwd"]) {
      expect(await loadFeed({ url }, options)).toMatchObject({ status: "error", code: "unsupported-scheme" });
    }
    const fromFile = await loadFeed({ url: file }, { ...options, allowFiles: true });
    expect(fromFile.status === "ok" && fromFile.feed.items[0]?.title).toBe("Новости");
    const fromUrl = await loadFeed({ url: pathToFileURL(file).href }, { ...options, allowFiles: true });
    expect(fromUrl.status).toBe("ok");
    expect(await loadFeed({ url: join(dir, "missing.xml") }, { ...options, allowFiles: true })).toMatchObject({ status: "error", code: "read" });
  });

  it("reads sample feeds from db/sample-feeds with dates relative to now", async () => {
    const result = await loadFeed({ url: "sample:sample-sk-bratislava-morning-review" }, options);
    expect(result.status).toBe("ok");
    if (result.status !== "ok") return;
    expect(result.encoding).toBe("iso-8859-2");
    expect(result.feed.items[0]?.title).toBe("Dunaj sa vylieva z brehov, v Komárne evakuujú obyvateľov");
    expect(result.feed.items.every((i) => i.published < now)).toBe(true);
    expect(await loadFeed({ url: "sample:../../etc/passwd" }, options)).toMatchObject({ status: "error", code: "read" });
  });

  it("takes its limits from the configuration", () => {
    const config = testConfig({ FEED_TIMEOUT_MS: 1234, FEED_MAX_BYTES: 5678, FEED_ALLOW_PRIVATE: true, publicUrl: "https://digest.example.org" });
    expect(loadFeedOptions(config, now)).toEqual({
      now,
      timeoutMs: 1234,
      maxBytes: 5678,
      maxRedirects: 5,
      allowPrivate: true,
      userAgent: "WorldDigest/0.1 (+https://digest.example.org)",
    });
  });
});
