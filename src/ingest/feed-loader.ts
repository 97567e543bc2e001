// Binds the feed code (src/feeds/load-feed.ts) to ingestion: a source row in, items or an error out.
// `access` is where feeds can be read from: Node's network and the sample feeds (src/node/ingest-deps.ts),
// or fetch() alone on Workers (src/worker/ingest-deps.ts).
import type { Source } from "../../db/queries/sources";
import type { Config } from "../config";
import { loadFeed, loadFeedOptions, type FeedAccess } from "../feeds/load-feed";
import type { FeedLoader } from "./ingest-source";

export function createFeedLoader(config: Config, access: FeedAccess): FeedLoader {
  return async (source: Source, now: Date) => {
    const result = await loadFeed(
      { url: source.feedUrl, etag: source.etag, lastModified: source.lastModified, language: source.language },
      loadFeedOptions(config, now),
      access,
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
