// Validation of the operator's source edits (POST /api/sources, PATCH /api/sources/:id). Pure: JSON in,
// a clean row or per-field messages out.
import { isCountryCode } from "../countries";
import { primaryLanguage } from "../feeds/normalise";
import type { NewSource, SourcePatch } from "../../db/queries/sources";

export type SourceParse<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

const httpUrl = (v: unknown): string | null => {
  if (typeof v !== "string" || v.length > 2048) return null;
  try {
    const u = new URL(v.trim());
    return (u.protocol === "http:" || u.protocol === "https:") && !u.username && !u.password ? u.href : null;
  } catch {
    return null;
  }
};

// Control characters (NUL cannot be stored in PostgreSQL) and bidi overrides are dropped from names.
const name = (v: unknown) => (typeof v === "string" ? v.replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, " ").replace(/\s+/g, " ").trim() : "");

export function slugify(country: string, outlet: string): string {
  const base = outlet
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${country.toLowerCase()}-${base || "outlet"}`;
}

/** Reads the fields that may be set; `partial` for PATCH (absent fields are left alone). */
export function parseSourceFields(body: Record<string, unknown>, partial: boolean): SourceParse<SourcePatch & { slug?: string }> {
  const fields: Record<string, string> = {};
  const out: SourcePatch & { slug?: string } = {};
  const has = (k: string) => body[k] !== undefined;

  if (has("name") || !partial) {
    const n = name(body.name);
    if (!n || n.length > 120) fields.name = "Required, at most 120 characters.";
    else out.name = n;
  }
  if (has("country") || !partial) {
    const c = typeof body.country === "string" ? body.country.trim().toUpperCase() : "";
    if (c !== "US" && !isCountryCode(c)) fields.country = "An ISO 3166-1 alpha-2 country code, e.g. AT (US for a reference outlet).";
    else out.country = c;
  }
  if (has("feedUrl") || !partial) {
    const u = httpUrl(body.feedUrl);
    if (!u) fields.feedUrl = "An absolute http(s) URL.";
    else out.feedUrl = u;
  }
  if (has("homepage")) {
    const u = httpUrl(body.homepage);
    if (!u) fields.homepage = "An absolute http(s) URL.";
    else out.homepage = u;
  }
  if (has("language") || !partial) {
    const l = typeof body.language === "string" ? primaryLanguage(body.language) : null;
    if (!l) fields.language = "A language tag such as ja or pt-BR.";
    else out.language = l;
  }
  for (const flag of ["enabled", "isReference"] as const) {
    if (!has(flag)) continue;
    if (typeof body[flag] !== "boolean") fields[flag] = "true or false.";
    else out[flag] = body[flag] as boolean;
  }
  if (has("slug")) {
    if (partial) fields.slug = "The slug cannot be changed.";
    else if (typeof body.slug !== "string" || !/^[a-z0-9][a-z0-9-]{1,79}$/.test(body.slug)) fields.slug = "Lower-case letters, digits and dashes.";
    else out.slug = body.slug;
  }
  if (out.isReference === true && out.country !== undefined && out.country !== "US") fields.isReference = "Reference outlets are US outlets.";
  const known = new Set(["name", "country", "feedUrl", "homepage", "language", "enabled", "isReference", "slug"]);
  for (const k of Object.keys(body)) if (!known.has(k)) fields[k] = "Not a field of a source.";
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, value: out };
}

/** A complete new source from validated fields. */
export function newSourceFrom(v: SourcePatch & { slug?: string }): NewSource {
  const country = v.country!;
  return {
    slug: v.slug ?? slugify(country, v.name!),
    name: v.name!,
    country,
    homepage: v.homepage ?? new URL(v.feedUrl!).origin + "/",
    feedUrl: v.feedUrl!,
    language: v.language!,
    isReference: v.isReference ?? country === "US",
    enabled: v.enabled ?? true,
    isSample: false,
  };
}
