// The rows planned deliveries show, loaded once per run and only when missing. Always read through
// db/queries/digest-content.ts (never from the planner's candidates) so the first attempt and any retry
// — in this process or another — build the email from the same rows in the same way.
import type { Db } from "../../db/client";
import type { DeliveryLayout } from "../../db/schema";
import { articlesByIds, storiesByIds } from "../../db/queries/digest-content";
import { articleIdsOf, rebuildSelection, type StoryFacts } from "./layout";
import type { CandidateArticle, SelectedStory } from "./types";

export class ContentCache {
  private readonly stories = new Map<number, StoryFacts | null>();
  private readonly articles = new Map<number, CandidateArticle | null>();

  /** Loads (two statements at most) every story and article these layouts name that is not cached yet. */
  async ensure(db: Db, layouts: readonly DeliveryLayout[]): Promise<void> {
    const storyIds = new Set<number>();
    const articleIds = new Set<number>();
    for (const layout of layouts) {
      for (const entry of layout) if (!this.stories.has(entry.story)) storyIds.add(entry.story);
      for (const id of articleIdsOf(layout)) if (!this.articles.has(id)) articleIds.add(id);
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
    return rebuildSelection(layout, this.stories, this.articles);
  }
}
