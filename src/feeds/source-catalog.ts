// The catalog of real outlets (db/sources.json): reading it and checking its shape. Outlet names and feed
// addresses are facts that cannot be checked offline; `npm run sources:check` checks them online.
// Pure: the catalog is imported as JSON (bundled into the Worker, read by tsx/vitest on Node).
import catalogJson from "../../db/sources.json";
import { isCountryCode } from "../countries";
import type { SourceRecord } from "./types";

const slugPattern = /^[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$/;

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname.includes(".");
  } catch {
    return false;
  }
}

/** Every problem with the catalog's shape, one line each; [] when it is sound. */
export function catalogProblems(data: unknown): string[] {
  const list = Array.isArray(data) ? data : (data as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(list)) return ["expected an array of sources, or { sources: [...] }"];
  const problems: string[] = [];
  const slugs = new Set<string>();
  const feeds = new Set<string>();
  list.forEach((entry: Record<string, unknown>, i) => {
    const at = `#${i} ${typeof entry?.slug === "string" ? entry.slug : "(no slug)"}`;
    const slug = entry?.slug;
    if (typeof slug !== "string" || !slugPattern.test(slug)) problems.push(`${at}: slug must be kebab-case starting with a country code`);
    else if (slugs.has(slug)) problems.push(`${at}: duplicate slug`);
    else slugs.add(slug);
    if (typeof entry?.name !== "string" || !entry.name.trim()) problems.push(`${at}: name is missing`);
    const country = entry?.country;
    const reference = entry?.isReference === true;
    if (reference ? country !== "US" : typeof country !== "string" || !isCountryCode(country)) {
      problems.push(`${at}: country ${String(country)} is not ${reference ? "US (reference outlets)" : "in src/countries.ts"}`);
    }
    if (typeof slug === "string" && typeof country === "string" && !slug.startsWith(`${country.toLowerCase()}-`)) {
      problems.push(`${at}: slug should start with "${String(country).toLowerCase()}-"`);
    }
    if (!isHttpUrl(entry?.homepage)) problems.push(`${at}: homepage is not an http(s) URL`);
    if (!isHttpUrl(entry?.feedUrl)) problems.push(`${at}: feedUrl is not an http(s) URL`);
    else if (feeds.has(entry.feedUrl as string)) problems.push(`${at}: feedUrl listed twice`);
    else feeds.add(entry.feedUrl as string);
    if (typeof entry?.language !== "string" || !/^[a-z]{2,3}$/.test(entry.language)) {
      problems.push(`${at}: language must be a lower-case ISO 639 code such as "ja"`);
    }
    if (entry?.isReference !== undefined && typeof entry.isReference !== "boolean") problems.push(`${at}: isReference must be true or false`);
  });
  return problems;
}

type CatalogEntry = Omit<SourceRecord, "isSample" | "isReference"> & { isReference?: boolean };

/** Catalog data as source records; throws with every problem listed (under `label`) when its shape is wrong. */
export function catalogRecords(data: unknown, label = "db/sources.json"): SourceRecord[] {
  const problems = catalogProblems(data);
  if (problems.length) throw new Error(`${label}:\n${problems.join("\n")}`);
  const list = (Array.isArray(data) ? data : (data as { sources: unknown[] }).sources) as CatalogEntry[];
  return list.map((s) => ({ ...s, isReference: s.isReference === true, isSample: false }));
}

let cached: SourceRecord[] | undefined;

/** The repository's catalog (db/sources.json) as source records, checked once per process. */
export function readSourceCatalog(): SourceRecord[] {
  cached ??= catalogRecords(catalogJson);
  return cached;
}
