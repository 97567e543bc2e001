// A country's latest stories as its digest would show them, for the country pages (/countries/<code>):
// the digest's own selection (selectStories: eligibility, ranking, the lead article, alternative takes)
// and its own presentation (presentStory: cleaned, bounded texts, flags, "Translated from…", links
// reduced to http(s)). Only the window and the number of stories are the page's.
import { candidateStories } from "../../db/queries/stories";
import type { Db } from "../../db/client";
import { presentStory } from "./build-digest";
import { selectStories } from "./select-stories";
import type { CandidateStory, DigestStory } from "./types";

/** A country page shows what was published in the last three days: a daily reader's window, three times. */
export const COUNTRY_WINDOW_MS = 3 * 24 * 3_600_000;
/** At most this many stories on a page. */
export const COUNTRY_MAX_STORIES = 10;

/** Pure: the stories of `candidates` a reader following only `code` would get now, best first. */
export function chooseCountryStories(code: string, candidates: readonly CandidateStory[], now: Date): DigestStory[] {
  const selection = selectStories({
    countries: [code],
    sentStoryIds: new Set(),
    since: new Date(now.getTime() - COUNTRY_WINDOW_MS),
    now,
    candidates,
    maxPerCountry: COUNTRY_MAX_STORIES,
    maxTotal: COUNTRY_MAX_STORIES,
  });
  return "skip" in selection ? [] : selection.stories.map(presentStory);
}

export async function countryStories(db: Db, code: string, now: Date): Promise<DigestStory[]> {
  const candidates = await candidateStories(db, { countries: [code], since: new Date(now.getTime() - COUNTRY_WINDOW_MS) });
  return chooseCountryStories(code, candidates, now);
}
