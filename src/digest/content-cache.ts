// The rows planned deliveries show, loaded once per run and only when missing. Always read through
// db/queries/digest-content.ts (never from the planner's candidates) so the first attempt and any retry
// — in this process or another — build the email from the same rows in the same way.
import type { Db } from "../../db/client";
import type { DeliveryLayout } from "../../db/schema";
import { articlesByIds, storiesByIds } from "../../db/queries/digest-content";
import { rebuildSelection, type StoryFacts } from "./layout";
import type { CandidateArticle, SelectedStory } from "./types";

type Entry = DeliveryLayout[number];

/** A layout entry as a string: equal entries, equal keys. */
const keyOf = (e: Entry) => `${e.story}|${e.country}|${e.lead}|${e.alternatives.join(",")}`;

export class ContentCache {
  private readonly stories = new Map<number, StoryFacts | null>();
  private readonly articles = new Map<number, CandidateArticle | null>();
  // Thousands of deliveries show the same story the same way: each distinct layout entry is rebuilt once
  // and the same SelectedStory object handed to all of them (so later memos hit on identity). Rows never
  // change in the cache, so neither does a rebuilt entry (null: its story or lead is gone).
  private readonly entries = new Map<string, SelectedStory | null>();
  private readonly byEntry = new WeakMap<Entry, SelectedStory | null>();

  /** Loads (two statements at most) every story and article these layouts name that is not cached yet. */
  async ensure(db: Db, layouts: readonly DeliveryLayout[]): Promise<void> {
    const storyIds = new Set<number>();
    const articleIds = new Set<number>();
    for (const layout of layouts) {
      for (const entry of layout) {
        if (this.byEntry.has(entry)) continue; // rebuilt before: its rows are cached
        if (!this.stories.has(entry.story)) storyIds.add(entry.story);
        if (!this.articles.has(entry.lead)) articleIds.add(entry.lead);
        for (const id of entry.alternatives) if (!this.articles.has(id)) articleIds.add(id);
      }
    }
    if (storyIds.size > 0) {
      const found = await storiesByIds(db, [...storyIds]);
      for (const id of storyIds) this.stories.set(id, found.get(id) ?? null);
    }
    if (articleIds.size > 0) {
      const found = await articlesByIds(db, [...articleIds]);
      for (const id of articleIds) this.articles.set(id, found.get(id) ?? null);
    }
  }

  /** The layout's stories from cached rows (call `ensure` first); purged ones are left out. */
  selection(layout: DeliveryLayout): SelectedStory[] {
    const out: SelectedStory[] = [];
    for (const entry of layout) {
      // The planner's entries are shared objects (layout.ts): found by identity, no key to build.
      const known = this.byEntry.get(entry);
      if (known !== undefined) {
        if (known) out.push(known);
        continue;
      }
      const key = keyOf(entry);
      let story = this.entries.get(key);
      if (story === undefined) {
        story = rebuildSelection([entry], this.stories, this.articles)[0] ?? null;
        // Remembered only once every row it names has been looked for (a later ensure() cannot change it).
        if (this.stories.has(entry.story) && this.articles.has(entry.lead) && entry.alternatives.every((id) => this.articles.has(id))) {
          this.entries.set(key, story);
          this.byEntry.set(entry, story);
        }
      } else {
        this.byEntry.set(entry, story);
      }
      if (story) out.push(story);
    }
    return out;
  }
}
