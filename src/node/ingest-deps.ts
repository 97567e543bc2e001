// Node only: ingestion's defaults on Node — feeds over node:http(s) plus the offline sample feeds, the
// catalog (db/sources.json) plus the sample outlets, and the sample feeds' fixed translation table.
import type { Db } from "../../db/client";
import type { Config } from "../config";
import { sampleSources } from "../feeds/sample-feeds";
import { readSourceCatalog } from "../feeds/source-catalog";
import type { SourceRecord } from "../feeds/types";
import { createEmbedder } from "../embeddings/create-embedder";
import { createFeedLoader } from "../ingest/feed-loader";
import type { IngestDeps } from "../ingest/ingest";
import type { Logger } from "../log";
import { loadSampleTranslator } from "../translate/sample-translator";
import type { Translator } from "../translate/translator";
import { nodeFeedAccess } from "./feeds";

let seeds: SourceRecord[] | undefined;
let samples: Translator | undefined;

/** Everything seeded at the start of an ingestion run on Node: the catalog and the sample outlets. */
export function allSeedSources(): SourceRecord[] {
  seeds ??= [...readSourceCatalog(), ...sampleSources()];
  return seeds;
}

/** IngestDeps with Node's defaults for whatever is not given. */
export function nodeIngestDeps(deps: { db: Db; config: Config; log: Logger } & Partial<IngestDeps>): IngestDeps {
  return {
    ...deps,
    loadFeed: deps.loadFeed ?? createFeedLoader(deps.config, nodeFeedAccess({ allowPrivate: deps.config.FEED_ALLOW_PRIVATE })),
    catalog: deps.catalog ?? allSeedSources,
    sampleTranslator: deps.sampleTranslator === undefined ? (samples ??= loadSampleTranslator()) : deps.sampleTranslator,
    embedder: deps.embedder === undefined ? createEmbedder(deps.config) : deps.embedder,
  };
}
