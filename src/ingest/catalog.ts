// The outlets to seed: the catalog kept as data in the repository (db/sources.json, read and checked by
// src/feeds/source-catalog.ts) plus the sample outlets of the offline demo.
import { existsSync } from "node:fs";
import { sampleSources } from "../feeds/sample-feeds";
import { readSourceCatalog, sourceCatalogPath } from "../feeds/source-catalog";
import type { SourceRecord } from "../feeds/types";

let cached: SourceRecord[] | undefined;

/** Everything seeded at the start of an ingestion run (read once per process; no catalog file → samples only). */
export function allSeedSources(): SourceRecord[] {
  cached ??= [...(existsSync(sourceCatalogPath) ? readSourceCatalog() : []), ...sampleSources()];
  return cached;
}
