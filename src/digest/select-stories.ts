// Which stories one subscriber gets in one edition: a pure function of (preferences, candidates, sent
// history, now). No database, no clock.
//
// Eligible: a story never sent to this subscriber with at least one (non-reference) article from one of
// their countries published in (since, now].
//
// Ranking (higher first), each factor documented so it can be argued with:
//   rank = (score + 0.05) × breadth × recency
//   score   = max(0, overlookedScore)            — the ingestion's "overlooked by US media" signal; the
//                                                  0.05 floor keeps zero-score stories ordered by the rest
//   breadth = 1 + 0.25·ln(outlets) + 0.25·ln(countries)   — 4 outlets in 3 countries → ×1.62
//   recency = 0.5 ^ (age / halfLife), age = now − newest qualifying article,
//             halfLife = max(24 h, (now − since) / 2)     — a daily reader's yesterday counts half; a weekly
//                                                           reader's window is not crushed to the last day
// Ties: newer lastArticleAt, then lower id (deterministic).
//
// Placement: a story covered in several of the subscriber's countries appears ONCE, under the country of
// its best qualifying article (a summary beats none; then the earliest — the outlet that broke it), or the
// next-best country when that one already has `maxPerCountry` stories. The other outlets' articles become
// its alternative takes: one per outlet, countries other than the lead's first, at most `maxAlternatives`.
import { countryName } from "../countries";
import type { CandidateArticle, CandidateStory, SelectedStory, StorySelection } from "./types";

export interface SelectStoriesInput {
  countries: readonly string[];
  sentStoryIds: ReadonlySet<number>;
  since: Date;
  now: Date;
  candidates: readonly CandidateStory[];
  maxPerCountry?: number;
  maxTotal?: number;
  maxAlternatives?: number;
}

export const DEFAULT_MAX_PER_COUNTRY = 3;
export const DEFAULT_MAX_TOTAL = 15;
export const DEFAULT_MAX_ALTERNATIVES = 5;

const HOUR = 3_600_000;

const time = (d: Date | undefined | null): number => (d instanceof Date ? d.getTime() : Number.NaN);

function isReference(a: CandidateArticle): boolean {
  return a.isReference === true || a.country === "US";
}

/** Better article first: with a summary, then earliest, then lowest id. */
function compareArticles(a: CandidateArticle, b: CandidateArticle): number {
  const sa = (a.summary ?? "").trim() ? 0 : 1;
  const sb = (b.summary ?? "").trim() ? 0 : 1;
  return sa - sb || time(a.publishedAt) - time(b.publishedAt) || a.id - b.id;
}

export function rankStory(story: CandidateStory, newestQualifying: number, since: Date, now: Date): number {
  return rankOf(story, newestQualifying, now.getTime(), Math.max(24 * HOUR, (now.getTime() - since.getTime()) / 2));
}

/** The rank of a story whose newest qualifying article is `newest` (story-chooser.ts shares it). */
export function rankOf(story: CandidateStory, newest: number, nowMs: number, halfLife: number): number {
  return prepared(story).weight * Math.pow(0.5, Math.max(0, nowMs - newest) / halfLife);
}

// Per-run memos keyed by the candidate objects (treated as immutable): the morning run asks about the same
// stories for many subscribers. They change nothing in the results, only how often work is repeated.
export interface Prepared {
  /** Shown-able (non-reference, dated) articles, best first, with their publication time. */
  sorted: CandidateArticle[];
  times: number[];
  /** (score + 0.05) × breadth: the rank without recency. */
  weight: number;
}
const preparedMemo = new WeakMap<CandidateStory, Prepared>();
const alternativesMemo = new WeakMap<CandidateStory, Map<number, Array<{ nowMs: number; max: number; chosen: CandidateArticle[] }>>>();

export function prepared(story: CandidateStory): Prepared {
  let p = preparedMemo.get(story);
  if (!p) {
    const sorted = (story.articles ?? []).filter((a) => a && !isReference(a) && Number.isFinite(time(a.publishedAt))).sort(compareArticles);
    const score = Math.max(0, Number.isFinite(story.overlookedScore) ? story.overlookedScore : 0);
    const breadth = 1 + 0.25 * Math.log(Math.max(1, story.outletCount || 1)) + 0.25 * Math.log(Math.max(1, story.countryCount || 1));
    p = { sorted, times: sorted.map((a) => a.publishedAt.getTime()), weight: (score + 0.05) * breadth };
    preparedMemo.set(story, p);
  }
  return p;
}

/** Shared between subscribers who get the same story with the same lead: callers must not mutate it. */
export function pickAlternatives(story: CandidateStory, lead: CandidateArticle, nowMs: number, max: number): CandidateArticle[] {
  let byLead = alternativesMemo.get(story);
  const known = byLead?.get(lead.id);
  const hit = known?.find((k) => k.nowMs === nowMs && k.max === max);
  if (hit) return hit.chosen;
  const outletKey = (a: CandidateArticle) => (a.outlet ?? "").trim().toLowerCase();
  const seenOutlets = new Set([outletKey(lead)]);
  const seenUrls = new Set([lead.url]);
  const pool = prepared(story).sorted.filter((a) => a.id !== lead.id && time(a.publishedAt) <= nowMs);
  const chosen: CandidateArticle[] = [];
  const countriesShown = new Set([lead.country]);
  const take = (a: CandidateArticle) => {
    const outlet = outletKey(a);
    if (chosen.length >= max || seenOutlets.has(outlet) || seenUrls.has(a.url)) return;
    seenOutlets.add(outlet);
    seenUrls.add(a.url);
    countriesShown.add(a.country);
    chosen.push(a);
  };
  // One per other country first, then other outlets of other countries, then the lead's own country.
  for (const a of pool) if (!countriesShown.has(a.country)) take(a);
  for (const a of pool) if (a.country !== lead.country) take(a);
  for (const a of pool) take(a);
  if (!byLead) alternativesMemo.set(story, (byLead = new Map()));
  if (known) {
    if (known.length < 8) known.push({ nowMs, max, chosen });
  } else byLead.set(lead.id, [{ nowMs, max, chosen }]);
  return chosen;
}

/** A story placed in a digest under `lead` (selectStories and the run's story chooser build it alike). */
export function placedStory(s: CandidateStory, lead: CandidateArticle, rank: number, nowMs: number, maxAlternatives: number): SelectedStory {
  return {
    id: s.id,
    title: s.title,
    overlookedScore: s.overlookedScore,
    overlookedReason: s.overlookedReason,
    outletCount: s.outletCount,
    countryCount: s.countryCount,
    country: lead.country,
    lead,
    alternatives: pickAlternatives(s, lead, nowMs, maxAlternatives),
    rank,
  };
}

export function listNames(codes: readonly string[]): string {
  const names = codes.map(countryName);
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

export function selectStories(input: SelectStoriesInput): StorySelection {
  const maxPerCountry = input.maxPerCountry ?? DEFAULT_MAX_PER_COUNTRY;
  const maxTotal = input.maxTotal ?? DEFAULT_MAX_TOTAL;
  const maxAlternatives = input.maxAlternatives ?? DEFAULT_MAX_ALTERNATIVES;
  if (!(maxPerCountry >= 1) || !(maxTotal >= 1) || !(maxAlternatives >= 0)) {
    throw new RangeError("maxPerCountry and maxTotal must be at least 1, maxAlternatives at least 0");
  }
  const wanted = new Set(input.countries.filter((c) => c !== "US"));
  if (wanted.size === 0) return { skip: "no countries selected" };
  const sinceMs = time(input.since);
  const nowMs = time(input.now);
  if (!Number.isFinite(sinceMs) || !Number.isFinite(nowMs)) throw new RangeError("since and now must be valid dates");

  type Eligible = { story: CandidateStory; byCountry: CandidateArticle[]; rank: number; newest: number };
  const eligible: Eligible[] = [];
  let alreadySent = 0;
  const halfLife = Math.max(24 * HOUR, (nowMs - sinceMs) / 2);
  // The hot loop of the morning run (once per subscriber per candidate): plain loops, no closures.
  for (const story of input.candidates) {
    // Articles come best first, so the first qualifying article of each country is that country's best.
    let byCountry: CandidateArticle[] | undefined;
    let newest = 0;
    const { sorted, times } = prepared(story);
    for (let i = 0; i < sorted.length; i++) {
      const t = times[i]!;
      if (!(t > sinceMs && t <= nowMs)) continue;
      const a = sorted[i]!;
      if (!wanted.has(a.country)) continue;
      if (t > newest) newest = t;
      if (!byCountry) byCountry = [a];
      else if (!byCountry.some((b) => b.country === a.country)) byCountry.push(a);
    }
    if (!byCountry) continue;
    if (input.sentStoryIds.has(story.id)) {
      alreadySent++;
      continue;
    }
    eligible.push({ story, byCountry, newest, rank: rankOf(story, newest, nowMs, halfLife) });
  }

  if (eligible.length === 0) {
    const wantedNames = listNames([...wanted]);
    return alreadySent > 0
      ? { skip: `the ${alreadySent === 1 ? "only new story" : `${alreadySent} new stories`} from ${wantedNames} ${alreadySent === 1 ? "was" : "were"} already sent` }
      : { skip: `no new stories from ${wantedNames} since ${input.since.toISOString()}` };
  }

  eligible.sort(
    (a, b) => b.rank - a.rank || time(b.story.lastArticleAt) - time(a.story.lastArticleAt) || a.story.id - b.story.id,
  );
  const perCountry = new Map<string, number>();
  const stories: SelectedStory[] = [];
  for (const e of eligible) {
    if (stories.length >= maxTotal) break;
    const lead = e.byCountry.find((a) => (perCountry.get(a.country) ?? 0) < maxPerCountry);
    if (!lead) continue;
    perCountry.set(lead.country, (perCountry.get(lead.country) ?? 0) + 1);
    stories.push(placedStory(e.story, lead, e.rank, nowMs, maxAlternatives));
  }
  return { stories };
}
