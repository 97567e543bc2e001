// Serves feeds over real HTTP on 127.0.0.1 for the ingestion tests: RSS/Atom bodies that can be changed
// between runs, ETags honoured (304), and broken answers (500, not XML).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";

export interface ServedFeed {
  status?: number;
  body: string;
  contentType?: string;
}

export interface FeedServer {
  url: string;
  feeds: Map<string, ServedFeed>;
  /** Requests per path, and how many were answered 304. */
  hits: Map<string, { total: number; notModified: number }>;
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedServer> {
  const feeds = new Map<string, ServedFeed>();
  const hits = new Map<string, { total: number; notModified: number }>();
  const server: Server = createServer((req, res) => {
    // No keep-alive: a socket the server closes while idle would otherwise race a client reusing it.
    res.shouldKeepAlive = false;
    const path = req.url ?? "/";
    const count = hits.get(path) ?? { total: 0, notModified: 0 };
    hits.set(path, count);
    count.total++;
    const feed = feeds.get(path);
    if (!feed) {
      res.writeHead(404).end("not found");
      return;
    }
    const status = feed.status ?? 200;
    if (status !== 200) {
      res.writeHead(status, { "content-type": "text/plain" }).end(feed.body);
      return;
    }
    const etag = `"${createHash("sha1").update(feed.body).digest("hex").slice(0, 16)}"`;
    if (req.headers["if-none-match"] === etag) {
      count.notModified++;
      res.writeHead(304, { etag }).end();
      return;
    }
    res.writeHead(200, { "content-type": feed.contentType ?? "application/rss+xml; charset=utf-8", etag }).end(feed.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    feeds,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface RssItem {
  title: string;
  link: string;
  description?: string;
  pubDate: Date;
  guid?: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function rss(title: string, language: string, items: RssItem[]): string {
  const body = items
    .map(
      (i) => `<item><title>${esc(i.title)}</title><link>${esc(i.link)}</link>` +
        `${i.description ? `<description>${esc(i.description)}</description>` : ""}` +
        `<pubDate>${i.pubDate.toUTCString()}</pubDate>${i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : ""}</item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.org/</link><language>${language}</language>\n${body}\n</channel></rss>`;
}
