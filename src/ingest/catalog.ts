// The outlets to seed: the catalog kept as data in the repository (db/sources.json) plus the sample
// outlets of the offline demo. A missing or unreadable catalog file seeds only the samples (and says so).
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sampleSources } from "../feeds/sample-feeds";
import type { SourceRecord } from "../feeds/types";

export const catalogPath = fileURLToPath(new URL("../../db/sources.json", import.meta.url));

const isRecord = (v: unknown): v is SourceRecord => {
  const r = v as Partial<SourceRecord> | null;
  return (
    !!r &&
    typeof r.slug === "string" &&
    typeof r.name === "string" &&
    typeof r.country === "string" &&
    typeof r.homepage === "string" &&
    typeof r.feedUrl === "string" &&
    typeof r.language === "string"
  );
};

/** Catalog entries from db/sources.json (an array, or `{ sources: [...] }`); [] when absent. */
export function readCatalog(path: string = catalogPath): SourceRecord[] {
  if (!existsSync(path)) return [];
  const data = JSON.parse(readFileSync(path, "utf8")) as unknown;
  const list = Array.isArray(data) ? data : (data as { sources?: unknown })?.sources;
  if (!Array.isArray(list)) throw new Error(`${path}: expected an array of sources`);
  return list.filter(isRecord).map((r) => ({ ...r, isReference: r.isReference === true, isSample: r.isSample === true }));
}

let cached: SourceRecord[] | undefined;

/** Everything seeded at the start of an ingestion run (read once per process). */
export function allSeedSources(): SourceRecord[] {
  cached ??= [...readCatalog(), ...sampleSources()];
  return cached;
}
