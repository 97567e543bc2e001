// selectStories for a whole morning run: the same answers, without scanning every candidate for every
// subscriber. Pure, no I/O; one chooser per run (its caches assume the candidates do not change).
//
// selectStories ranks every story with a qualifying article in the subscriber's countries and takes the
// best. A story's rank only depends on its newest qualifying article, and over several countries that is
// the newest of the per-country ones — so its rank is the highest of its per-country ranks. The chooser
// therefore ranks each country's stories once per window (`since`), and a subscriber's ranking is the
// merge of their countries' lists, each story taken at its first (= highest) appearance. Only the head of
// the merge is read: placement stops at maxTotal, as selectStories' does. Ties are broken as in
// selectStories (newer lastArticleAt, then lower id); candidates that would make that order ambiguous
// (repeated ids, non-finite ranks or times) make the chooser hand every call to selectStories itself.
// test/digest-story-chooser.test.ts checks the two agree on random worlds.
import type { CandidateArticle, CandidateStory, SelectedStory, StorySelection } from "./types";
import {
  DEFAULT_MAX_ALTERNATIVES,
  DEFAULT_MAX_PER_COUNTRY,
  DEFAULT_MAX_TOTAL,
  listNames,
  placedStory,
  prepared,
  rankOf,
  selectStories,
} from "./select-stories";

const HOUR = 3_600_000;
/** Windows remembered per run (a morning run has a handful: one per previous tick and frequency). */
const MAX_WINDOWS = 64;

export interface ChooserLimits {
  maxPerCountry?: number;
  maxTotal?: number;
  maxAlternatives?: number;
}

export type ChooseStories = (countries: readonly string[], sentStoryIds: ReadonlySet<number>, since: Date) => StorySelection;

/** A story in one country's ranking for one window. */
interface Entry {
  story: CandidateStory;
  rank: number;
  last: number;
  id: number;
}

/** The best qualifying article of each country of a story, in selectStories' byCountry order. */
type Leads = Array<{ country: string; article: CandidateArticle }>;

interface Window {
  sinceMs: number;
  halfLife: number;
  lists: Map<string, Entry[]>;
  leads: Map<CandidateStory, Leads>;
}

const before = (a: Entry, b: Entry): boolean => a.rank > b.rank || (a.rank === b.rank && (a.last > b.last || (a.last === b.last && a.id < b.id)));

export function createStoryChooser(candidates: readonly CandidateStory[], now: Date, limits: ChooserLimits = {}): ChooseStories {
  const maxPerCountry = limits.maxPerCountry ?? DEFAULT_MAX_PER_COUNTRY;
  const maxTotal = limits.maxTotal ?? DEFAULT_MAX_TOTAL;
  const maxAlternatives = limits.maxAlternatives ?? DEFAULT_MAX_ALTERNATIVES;
  const nowMs = now.getTime();
  const fallback: ChooseStories = (countries, sentStoryIds, since) =>
    selectStories({ countries, sentStoryIds, since, now, candidates, maxPerCountry, maxTotal, maxAlternatives });

  // Stories by the countries of their shown-able articles.
  const byCountry = new Map<string, CandidateStory[]>();
  const ids = new Set<number>();
  let exact = Number.isFinite(nowMs) && maxPerCountry >= 1 && maxTotal >= 1 && maxAlternatives >= 0;
  for (const story of candidates) {
    const p = prepared(story);
    const last = story.lastArticleAt instanceof Date ? story.lastArticleAt.getTime() : Number.NaN;
    if (ids.has(story.id) || !Number.isFinite(p.weight) || !Number.isFinite(last) || !Number.isFinite(story.id)) exact = false;
    ids.add(story.id);
    const seen = new Set<string>();
    for (const a of p.sorted) {
      if (seen.has(a.country)) continue;
      seen.add(a.country);
      let list = byCountry.get(a.country);
      if (!list) byCountry.set(a.country, (list = []));
      list.push(story);
    }
  }
  if (!exact) return fallback;

  const windows = new Map<number, Window>();
  const windowOf = (sinceMs: number): Window => {
    let w = windows.get(sinceMs);
    if (!w) {
      if (windows.size >= MAX_WINDOWS) windows.clear();
      w = { sinceMs, halfLife: Math.max(24 * HOUR, (nowMs - sinceMs) / 2), lists: new Map(), leads: new Map() };
      windows.set(sinceMs, w);
    }
    return w;
  };

  /** One country's stories with a qualifying article in the window, best first. */
  const listOf = (w: Window, country: string): Entry[] => {
    let list = w.lists.get(country);
    if (list) return list;
    list = [];
    for (const story of byCountry.get(country) ?? []) {
      const { sorted, times } = prepared(story);
      let newest = -Infinity;
      for (let i = 0; i < sorted.length; i++) {
        const t = times[i]!;
        if (t > w.sinceMs && t <= nowMs && sorted[i]!.country === country && t > newest) newest = t;
      }
      if (newest === -Infinity) continue;
      // selectStories starts `newest` at 0: an article before 1970 ranks as if it were from 1970.
      list.push({ story, rank: rankOf(story, Math.max(0, newest), nowMs, w.halfLife), last: story.lastArticleAt.getTime(), id: story.id });
    }
    list.sort((a, b) => b.rank - a.rank || b.last - a.last || a.id - b.id);
    w.lists.set(country, list);
    return list;
  };

  const leadsOf = (w: Window, story: CandidateStory): Leads => {
    let leads = w.leads.get(story);
    if (leads) return leads;
    leads = [];
    const { sorted, times } = prepared(story);
    for (let i = 0; i < sorted.length; i++) {
      const t = times[i]!;
      if (!(t > w.sinceMs && t <= nowMs)) continue;
      const a = sorted[i]!;
      if (!leads.some((l) => l.country === a.country)) leads.push({ country: a.country, article: a });
    }
    w.leads.set(story, leads);
    return leads;
  };

  return (countries, sentStoryIds, since) => {
    const wanted = [...new Set(countries.filter((c) => c !== "US"))];
    if (wanted.length === 0) return { skip: "no countries selected" };
    const sinceMs = since instanceof Date ? since.getTime() : Number.NaN;
    if (!Number.isFinite(sinceMs)) throw new RangeError("since and now must be valid dates");
    const w = windowOf(sinceMs);
    const lists = wanted.map((c) => listOf(w, c)).filter((l) => l.length > 0);
    const at = lists.map(() => 0);
    // Fresh per call, not one pair cleared between calls: V8 gives a long-lived Set or Map its new tables
    // (on clear and on growth) in the old generation, so reusing them put ~1 KB per subscriber there for
    // the next full garbage collection (allocation profile of a morning run); fresh ones die young.
    const seen = new Set<CandidateStory>();
    const perCountry = new Map<string, number>();
    const stories: SelectedStory[] = [];
    let eligible = 0;
    let alreadySent = 0;
    // Once every country with stories is full nothing more can be placed (selectStories would scan on in
    // vain): a lead is always from a country whose list holds the story.
    let full = 0;
    for (;;) {
      // The best head among the countries' lists.
      let k = -1;
      for (let j = 0; j < lists.length; j++) {
        const head = lists[j]![at[j]!];
        if (head && (k < 0 || before(head, lists[k]![at[k]!]!))) k = j;
      }
      if (k < 0) break;
      const e = lists[k]![at[k]!++]!;
      if (seen.has(e.story)) continue;
      seen.add(e.story);
      if (sentStoryIds.has(e.id)) {
        alreadySent++;
        continue;
      }
      eligible++;
      if (stories.length >= maxTotal || full === lists.length) break;
      let lead: CandidateArticle | undefined;
      for (const l of leadsOf(w, e.story)) {
        if (wanted.includes(l.country) && (perCountry.get(l.country) ?? 0) < maxPerCountry) {
          lead = l.article;
          break;
        }
      }
      if (!lead) continue;
      const placed = (perCountry.get(lead.country) ?? 0) + 1;
      perCountry.set(lead.country, placed);
      if (placed === maxPerCountry) full++;
      stories.push(placedStory(e.story, lead, e.rank, nowMs, maxAlternatives));
    }
    if (eligible > 0) return { stories };
    const names = listNames(wanted);
    return alreadySent > 0
      ? { skip: `the ${alreadySent === 1 ? "only new story" : `${alreadySent} new stories`} from ${names} ${alreadySent === 1 ? "was" : "were"} already sent` }
      : { skip: `no new stories from ${names} since ${since.toISOString()}` };
  };
}
