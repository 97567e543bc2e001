// Article profiles (what grouping reads of an article: src/stories/article-profile.ts), kept by this
// process between groupings: each grouping regroups its whole window, and an article does not change once
// stored, so profiling — most of a small run's cost — is done once per article. Articles are profiled as
// they are stored (storeArticles calls rememberProfiles), so on PostgreSQL the work overlaps the other
// feeds' inserts instead of adding to the grouping's time. Keyed by id and checked against everything a
// profile is made of (several databases may share a process, as in the tests). Bounded.
import type { ClusterRow } from "../../db/queries/articles";
import { profileArticle, type ArticleProfile, type GroupingInput } from "../stories/article-profile";
import type { ClusterArticle } from "../stories/cluster";

const profiles = new Map<number, { input: GroupingInput; profile: ArticleProfile }>();
const PROFILES_KEPT = 20_000;

/** The rows with their profiles, computed for those not seen (or changed) since. */
export function withProfiles(rows: ClusterRow[]): Array<ClusterRow & ClusterArticle> {
  if (profiles.size + rows.length > PROFILES_KEPT) profiles.clear();
  return rows.map((row) => ({ ...row, profile: profileOf(row.id, row) }));
}

/** Profiles articles just stored, ahead of their grouping. */
export function rememberProfiles(rows: Array<{ id: number } & GroupingInput>): void {
  if (profiles.size + rows.length > PROFILES_KEPT) return;
  for (const row of rows) profileOf(row.id, row);
}

function profileOf(id: number, input: GroupingInput): ArticleProfile {
  let known = profiles.get(id);
  if (!known || !sameInput(known.input, input)) {
    known = { input: { title: input.title, summary: input.summary, country: input.country, isReference: input.isReference, publishedAt: input.publishedAt }, profile: profileArticle(input) };
    profiles.set(id, known);
  }
  return known.profile;
}

function sameInput(a: GroupingInput, b: GroupingInput): boolean {
  return a.title === b.title && a.summary === b.summary && a.country === b.country && a.isReference === b.isReference && a.publishedAt.getTime() === b.publishedAt.getTime();
}
