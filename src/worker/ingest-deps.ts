// Workers: ingestion's dependencies on Cloudflare — feeds over the runtime's fetch() (redirects handled
// by fetchFeed, which checks and counts them, with the same timeout and size caps as on Node), the
// catalog bundled from db/sources.json, and no sample content (those are files in the repository).
import type { Db } from "../../db/client";
import type { Config } from "../config";
import type { Embedder } from "../embeddings/embedder";
import { fetchTransport } from "../feeds/http-transport";
import { readSourceCatalog } from "../feeds/source-catalog";
import { createFeedLoader } from "../ingest/feed-loader";
import type { IngestDeps } from "../ingest/ingest";
import type { Logger } from "../log";

export function workerIngestDeps(deps: { db: Db; config: Config; log: Logger; embedder?: Embedder | null }): IngestDeps {
  return {
    ...deps,
    // Workers have no DNS API: names are not resolved for the address check (IP literals still are);
    // Cloudflare itself refuses subrequests to private addresses. See src/feeds/address-policy.ts.
    loadFeed: createFeedLoader(deps.config, { transport: fetchTransport((input, init) => fetch(input, init)), resolve: null }),
    catalog: readSourceCatalog,
    sampleTranslator: null,
  };
}
