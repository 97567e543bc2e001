// Validation of one article pushed by the news app (POST /api/articles). Pure: raw JSON value in, a clean
// article or a reason out. Text is untrusted: reduced to plain text the same way feed items are.
import { isCountryCode } from "../countries";
import { canonicalUrl, htmlToText, primaryLanguage, truncateAtWord, SUMMARY_LENGTH } from "../feeds/normalise";
import { parseIsoInstant } from "../iso-instant";

export interface PushedArticle {
  url: string;
  title: string;
  summary: string;
  originalTitle: string;
  country: string;
  outlet: string;
  language: string;
  publishedAt: Date;
}

export type PushParse = { ok: true; value: PushedArticle } | { ok: false; reason: string };

const TITLE_MAX = 300;
const OUTLET_MAX = 120;
const URL_MAX = 2048;
/** Clock skew tolerated for a "published" in the future; later dates are refused. */
const FUTURE_SLACK_MS = 60 * 60_000;

/** Bidi embeddings, overrides and isolates: they make stored text read as something else (the renderer drops them on the way out too). */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;
const text = (v: unknown, max: number) => (typeof v === "string" ? truncateAtWord(htmlToText(v.replace(BIDI_CONTROLS, "")), max) : "");

export function parsePushedArticle(raw: unknown, now: Date, keepSince: Date): PushParse {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return { ok: false, reason: "each article must be a JSON object" };
  const item = raw as Record<string, unknown>;
  const problems: string[] = [];

  const url = typeof item.url === "string" && item.url.length <= URL_MAX ? canonicalUrl(item.url.trim()) : null;
  if (!url) problems.push("url: must be an absolute http(s) URL");

  const title = text(item.title, TITLE_MAX);
  if (!title) problems.push("title: required, plain text");

  if (item.summary !== undefined && item.summary !== null && typeof item.summary !== "string") problems.push("summary: must be text");
  const summary = text(item.summary, SUMMARY_LENGTH);

  const country = typeof item.country === "string" ? item.country.trim().toUpperCase() : "";
  if (country === "US") problems.push("country: US outlets are reference-only and are not taken through the API");
  else if (!isCountryCode(country)) problems.push("country: must be an ISO 3166-1 alpha-2 country code, e.g. JP");

  const outlet = text(item.outlet, OUTLET_MAX);
  if (!outlet) problems.push("outlet: required");

  const language = typeof item.language === "string" ? primaryLanguage(item.language) : null;
  if (!language) problems.push("language: must be a language tag such as ja or pt-BR");

  let publishedAt: Date | null = null;
  const published = typeof item.published === "string" ? parseIsoInstant(item.published) : null;
  if (!published) {
    problems.push("published: must be an ISO 8601 date-time of a real day");
  } else {
    publishedAt = published;
    if (publishedAt.getTime() > now.getTime() + FUTURE_SLACK_MS) problems.push("published: is in the future");
    else if (publishedAt < keepSince) problems.push("published: is older than the retention period");
    else if (publishedAt > now) publishedAt = now;
  }

  if (item.originalTitle !== undefined && item.originalTitle !== null && typeof item.originalTitle !== "string") {
    problems.push("originalTitle: must be text");
  }
  const originalTitle = text(item.originalTitle, TITLE_MAX) || title;

  if (problems.length > 0) return { ok: false, reason: problems.join("; ") };
  return {
    ok: true,
    value: { url: url!, title, summary, originalTitle, country, outlet, language: language!, publishedAt: publishedAt! },
  };
}
