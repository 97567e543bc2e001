// Binds the feed code (src/feeds/load-feed.ts) to ingestion: a source row in, items or an error out.
// Sample sources have "sample:<slug>" feed URLs, which loadFeed reads from db/sample-feeds.
import type { Source } from "../../db/queries/sources";
import type { Config } from "../config";
import { loadFeed, loadFeedOptions } from "../feeds/load-feed";
import type { FeedLoader } from "./ingest-source";

export function createFeedLoader(config: Config): FeedLoader {
  return async (source: Source, now: Date) => {
    const result = await loadFeed(
      { url: source.feedUrl, etag: source.etag, lastModified: source.lastModified, language: source.language },
      loadFeedOptions(config, now),
    );
    if (result.status === "ok") {
      return {
        status: "ok",
        items: result.feed.items,
        etag: result.etag,
        lastModified: result.lastModified,
        warnings: result.feed.warnings,
      };
    }
    if (result.status === "not-modified") return { status: "not-modified" };
    return { status: "error", error: result.error };
  };
}
