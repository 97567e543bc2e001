// The fetcher against a real HTTP server on 127.0.0.1: conditional GET, redirects, slow and oversized
// responses, errors, schemes and the private-address policy.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchFeed, feedUserAgent, type FetchOptions, type FetchResult } from "../src/node/feeds";
import { isPrivateAddress } from "../src/feeds/address-policy";

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title></channel></rss>`;
const hits: string[] = [];
const seenHeaders: Record<string, IncomingMessage["headers"]> = {};
let server: Server;
let base: string;
let port: number;

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://local");
  hits.push(url.pathname);
  seenHeaders[url.pathname] = req.headers;
  const path = url.pathname;
  if (path === "/feed") {
    if (req.headers["if-none-match"] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end();
    res.writeHead(200, { "content-type": "application/rss+xml; charset=utf-8", etag: '"v1"', "last-modified": "Tue, 11 Mar 2025 10:00:00 GMT" });
    return void res.end(FEED);
  }
  if (path === "/dated") {
    if (req.headers["if-modified-since"] === "Tue, 11 Mar 2025 10:00:00 GMT") return void res.writeHead(304).end();
    res.writeHead(200, { "last-modified": "Tue, 11 Mar 2025 10:00:00 GMT" });
    return void res.end(FEED);
  }
  const hop = /^\/hops\/(\d+)$/.exec(path);
  if (hop) {
    const n = Number(hop[1]);
    res.writeHead(n % 2 ? 301 : 307, { location: n > 0 ? `/hops/${n - 1}` : "/feed" });
    return void res.end();
  }
  if (path === "/loop") return void res.writeHead(302, { location: `${base}/loop` }).end();
  if (path === "/no-location") return void res.writeHead(302).end();
  if (path === "/to-file") return void res.writeHead(302, { location: "file:///etc/passwd" }).end();
  if (path === "/to-metadata") return void res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" }).end();
  if (path === "/error") return void res.writeHead(500).end("boom");
  if (path === "/missing") return void res.writeHead(404).end("nope");
  if (path === "/gzip") {
    res.writeHead(200, { "content-encoding": "gzip", "content-type": "text/xml" });
    return void res.end(gzipSync(FEED));
  }
  if (path === "/gzip-bomb") {
    res.writeHead(200, { "content-encoding": "gzip" });
    return void res.end(gzipSync(Buffer.alloc(20_000_000, 0x20)));
  }
  if (path === "/big") {
    res.writeHead(200, { "content-type": "text/xml" }); // chunked: no Content-Length to trust
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < 200 && res.write(chunk)) sent++;
      if (sent >= 200) res.end();
      else res.once("drain", pump);
    };
    res.on("close", () => (sent = 200));
    return pump();
  }
  if (path === "/big-declared") {
    res.writeHead(200, { "content-length": String(50_000_000) });
    return void res.write("a".repeat(1000));
  }
  if (path === "/cut") {
    res.writeHead(200, { "content-length": "1000" });
    res.write("<rss>");
    return void setTimeout(() => req.socket.destroy(), 20);
  }
  if (path === "/cut-gzip") {
    res.writeHead(200, { "content-encoding": "gzip" });
    res.write(gzipSync(Buffer.alloc(100_000, 0x61)).subarray(0, 200));
    return void setTimeout(() => req.socket.destroy(), 20);
  }
  if (path === "/slow-drip") {
    res.writeHead(200, { "content-type": "text/xml" });
    res.write("<rss>");
    const timer = setInterval(() => res.write(" "), 20);
    return void res.on("close", () => clearInterval(timer));
  }
  if (path === "/slow-headers") return void setTimeout(() => res.headersSent || res.writeHead(200).end(FEED), 5_000).unref();
  res.writeHead(404).end();
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const options: FetchOptions = { timeoutMs: 2_000, maxBytes: 1_000_000, allowPrivate: true, userAgent: feedUserAgent("https://digest.example.org") };

function expectError(result: FetchResult, code: string): string {
  expect(result.status).toBe("error");
  if (result.status !== "error") throw new Error("unreachable");
  expect(result.code).toBe(code);
  return result.error;
}

describe.each([
  ["node:http", {}],
  ["fetch()", { fetchImpl: fetch }],
] as const)("fetchFeed over %s", (_name, transport) => {
  const opts = { ...options, ...transport };

  it("returns the body, content type, validators and final URL", async () => {
    const result = await fetchFeed(`${base}/feed`, opts);
    expect(result).toMatchObject({
      status: "ok",
      contentType: "application/rss+xml; charset=utf-8",
      etag: '"v1"',
      lastModified: "Tue, 11 Mar 2025 10:00:00 GMT",
      finalUrl: `${base}/feed`,
    });
    if (result.status === "ok") expect(new TextDecoder().decode(result.body)).toBe(FEED);
    expect(seenHeaders["/feed"]?.["user-agent"]).toBe("WorldDigest/0.1 (+https://digest.example.org)");
  });

  it("sends If-None-Match and If-Modified-Since, and reports 304 as not-modified", async () => {
    expect(await fetchFeed(`${base}/feed`, { ...opts, etag: '"v1"' })).toEqual({ status: "not-modified", finalUrl: `${base}/feed` });
    expect(await fetchFeed(`${base}/dated`, { ...opts, lastModified: "Tue, 11 Mar 2025 10:00:00 GMT" })).toEqual({
      status: "not-modified",
      finalUrl: `${base}/dated`,
    });
    expect((await fetchFeed(`${base}/feed`, { ...opts, etag: '"stale"' })).status).toBe("ok");
  });

  it("follows relative and absolute redirects up to the cap", async () => {
    const result = await fetchFeed(`${base}/hops/4`, opts);
    expect(result).toMatchObject({ status: "ok", finalUrl: `${base}/feed` });
    expect(await fetchFeed(`${base}/hops/4`, { ...opts, maxRedirects: 5 })).toMatchObject({ status: "ok" });
    expectError(await fetchFeed(`${base}/hops/4`, { ...opts, maxRedirects: 4 }), "too-many-redirects");
    expect(expectError(await fetchFeed(`${base}/loop`, opts), "too-many-redirects")).toMatch(/more than 5 redirects/);
  });

  it("refuses redirects without a location or to a non-http scheme", async () => {
    expectError(await fetchFeed(`${base}/no-location`, opts), "http-status");
    expect(expectError(await fetchFeed(`${base}/to-file`, opts), "unsupported-scheme")).toMatch(/file:/);
  });

  it("reports HTTP errors with their status", async () => {
    const result = await fetchFeed(`${base}/error`, opts);
    expect(result).toEqual({ status: "error", code: "http-status", error: "HTTP 500", httpStatus: 500 });
    expect(await fetchFeed(`${base}/missing`, opts)).toMatchObject({ code: "http-status", httpStatus: 404 });
  });

  it("decompresses gzip, and caps the decompressed size (a gzip bomb is too large)", async () => {
    const result = await fetchFeed(`${base}/gzip`, opts);
    expect(result.status).toBe("ok");
    if (result.status === "ok") expect(new TextDecoder().decode(result.body)).toBe(FEED);
    expectError(await fetchFeed(`${base}/gzip-bomb`, opts), "too-large");
  });

  it("stops reading as soon as the body exceeds the cap, declared or not", async () => {
    expect(expectError(await fetchFeed(`${base}/big`, { ...opts, maxBytes: 100_000 }), "too-large")).toMatch(/100000-byte limit/);
    expect(expectError(await fetchFeed(`${base}/big-declared`, opts), "too-large")).toMatch(/50000000 bytes/);
  });

  it("times out a body that drips in slower than the timeout allows", async () => {
    expect(expectError(await fetchFeed(`${base}/slow-drip`, { ...opts, timeoutMs: 300 }), "timeout")).toMatch(/300 ms/);
  });

  it("times out a server that never answers", async () => {
    expectError(await fetchFeed(`${base}/slow-headers`, { ...opts, timeoutMs: 200 }), "timeout");
  });

  it("reports a body cut off by the server as a network error, compressed or not", async () => {
    expectError(await fetchFeed(`${base}/cut`, opts), "network");
    expectError(await fetchFeed(`${base}/cut-gzip`, opts), "network");
  });

  it("reports a refused connection as a network error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect(expectError(await fetchFeed(`http://127.0.0.1:${closedPort}/`, opts), "network")).toMatch(/ECONNREFUSED|fetch failed/);
  });
});

describe("what fetchFeed refuses to fetch", () => {
  it("only fetches http and https", async () => {
    for (const url of ["file:///etc/passwd", "ftp://example.org/feed", "gopher://example.org/", "data:text/xml,<rss/>", "javascript:alert(1)"]) {
      expectError(await fetchFeed(url, options), "unsupported-scheme");
    }
    expectError(await fetchFeed("not a url", options), "invalid-url");
    expectError(await fetchFeed("http://user:secret@example.org/feed", options), "invalid-url");
  });

  it("refuses loopback and private addresses unless allowed, without connecting", async () => {
    const before = hits.length;
    const privateOnly = { ...options, allowPrivate: false };
    expect(expectError(await fetchFeed(`${base}/feed`, privateOnly), "blocked-address")).toMatch(/127\.0\.0\.1 is a private or local address/);
    expectError(await fetchFeed(`http://localhost:${port}/feed`, privateOnly), "blocked-address");
    expectError(await fetchFeed(`http://[::1]:${port}/feed`, privateOnly), "blocked-address");
    expectError(await fetchFeed(`http://[::ffff:127.0.0.1]:${port}/feed`, privateOnly), "blocked-address");
    expectError(await fetchFeed(`http://0x7f000001:${port}/feed`, privateOnly), "blocked-address");
    expectError(await fetchFeed("http://169.254.169.254/latest/meta-data/", privateOnly), "blocked-address");
    expectError(await fetchFeed("http://10.0.0.1/feed", { ...privateOnly, fetchImpl: fetch }), "blocked-address");
    expect(hits.length).toBe(before);
  });

  it("refuses a host name when any of its addresses is private", async () => {
    const resolve = async (host: string) => (host === "mixed.test" ? ["93.184.216.34", "fd00::1"] : ["93.184.216.34"]);
    const result = await fetchFeed("http://mixed.test/feed", { ...options, allowPrivate: false, resolve });
    const message = expectError(result, "blocked-address");
    // The message is kept on the source and shown by GET /api/sources: it says what was refused, not what
    // an internal name resolves to (issue 15).
    expect(message).toMatch(/mixed\.test resolves to a private or local address/);
    expect(message).not.toMatch(/fd00/);
  });

  it("refuses IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d) and local-use NAT64 (64:ff9b:1::/48) addresses (issue 15)", async () => {
    const before = hits.length;
    const privateOnly = { ...options, allowPrivate: false };
    for (const host of ["[::ffff:0:127.0.0.1]", "[::0.0.127.1]", "[::7f00:1]", "[64:ff9b:1::7f00:1]", "[64:ff9b:1:ffff::8.8.8.8]", "[::ffff:0:a9fe:a9fe]"]) {
      expectError(await fetchFeed(`http://${host}:${port}/feed`, privateOnly), "blocked-address");
    }
    expect(hits.length).toBe(before);
    for (const address of ["::ffff:0:127.0.0.1", "::ffff:0:8.8.8.8", "::0.0.127.1", "::8.8.8.8", "64:ff9b:1::1", "64:ff9b:1:abcd::8.8.8.8"]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    // The well-known NAT64 prefix still carries a public IPv4 address through.
    expect(isPrivateAddress("64:ff9b::8.8.8.8")).toBe(false);
    expect(isPrivateAddress("64:ff9b::127.0.0.1")).toBe(true);
  });

  it("checks the address again when connecting (a DNS answer that changes after the check is still refused)", async () => {
    // The check's resolver says public; the connection's own lookup finds loopback.
    const before = hits.length;
    const result = await fetchFeed(`http://localhost:${port}/feed`, { ...options, allowPrivate: false, resolve: async () => ["93.184.216.34"] });
    expect(expectError(result, "blocked-address")).not.toMatch(/127\.0\.0\.1|::1/);
    expect(hits.length).toBe(before);
  });

  it("checks every redirect target, not only the first URL", async () => {
    // A public-looking host (mapped to the local server by the fetch below) redirects to the metadata address.
    const viaLocal = (input: string, init: RequestInit) => fetch(input.replace("http://public.test", base), init);
    const result = await fetchFeed("http://public.test/to-metadata", {
      ...options,
      allowPrivate: false,
      fetchImpl: viaLocal,
      resolve: async () => ["93.184.216.34"],
    });
    expect(expectError(result, "blocked-address")).toMatch(/169\.254\.169\.254/);
    expect(hits.at(-1)).toBe("/to-metadata");
  });

  it("reports an unresolvable host as a DNS error", async () => {
    const resolve = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.invalid"), { code: "ENOTFOUND" });
    };
    expect(expectError(await fetchFeed("http://nowhere.invalid/", { ...options, allowPrivate: false, resolve }), "dns")).toMatch(/nowhere\.invalid/);
  });
});
