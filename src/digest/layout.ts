// A delivery's layout: the selection reduced to ids when planned, and rebuilt from rows when sent.
// Storing the placement (not only story ids) makes a retry, another worker, and "view in browser" show
// exactly what the selection chose, even after new articles joined the story. Pure.
import type { DeliveryLayout } from "../../db/schema";
import type { CandidateArticle, CandidateStory, SelectedStory } from "./types";

export type StoryFacts = Omit<CandidateStory, "articles">;

/** Anything that finds a row by id (a Map, a cache). */
export interface Lookup<T> {
  get(id: number): T | null | undefined;
}

type LayoutEntry = DeliveryLayout[number];
// Thousands of subscribers are shown the same story the same way, and the selection hands them the same
// alternatives array (select-stories.ts memoises it): the same entry object is reused, so what is
// derived from an entry later (its SQL text, its rebuilt story) can be remembered by identity. Entries
// are never mutated.
const entries = new WeakMap<readonly CandidateArticle[], Map<string, LayoutEntry>>();

function entryOf(s: SelectedStory): LayoutEntry {
  let byStory = entries.get(s.alternatives);
  const key = `${s.id}|${s.country}|${s.lead.id}`;
  let entry = byStory?.get(key);
  if (!entry) {
    entry = { story: s.id, country: s.country, lead: s.lead.id, alternatives: s.alternatives.map((a) => a.id) };
    if (!byStory) entries.set(s.alternatives, (byStory = new Map()));
    if (byStory.size < 64) byStory.set(key, entry);
  }
  return entry;
}

export function layoutOf(stories: readonly SelectedStory[]): DeliveryLayout {
  return stories.map(entryOf);
}

/** Every article id a layout shows (to fetch what is not cached). */
export function articleIdsOf(layout: DeliveryLayout): number[] {
  return layout.flatMap((e) => [e.lead, ...e.alternatives]);
}

/**
 * The stories of a layout, in planned order. A story whose row or lead article is gone (purged after the
 * retention period) is left out; missing alternative takes are dropped. Rank is not kept (order is).
 */
export function rebuildSelection(
  layout: DeliveryLayout,
  stories: Lookup<StoryFacts>,
  articles: Lookup<CandidateArticle>,
): SelectedStory[] {
  const out: SelectedStory[] = [];
  for (const entry of layout) {
    const story = stories.get(entry.story);
    const lead = articles.get(entry.lead);
    if (!story || !lead || lead.isReference) continue;
    out.push({
      id: story.id,
      title: story.title,
      overlookedScore: story.overlookedScore,
      overlookedReason: story.overlookedReason,
      outletCount: story.outletCount,
      countryCount: story.countryCount,
      country: entry.country,
      lead,
      alternatives: entry.alternatives.flatMap((id) => {
        const a = articles.get(id);
        return a && !a.isReference ? [a] : [];
      }),
      rank: 0,
    });
  }
  return out;
}
