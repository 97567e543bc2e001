// Which countries the subscribe and manage pages offer: those with at least one working source. Every
// ISO country is *accepted* (src/countries.ts), but a reader who ticks one we read nothing from gets an
// empty digest, so the forms list only these; the map draws the rest muted ("no sources yet").
import { countriesWithWorkingSources } from "../../db/queries/sources";
import { isCountryCode } from "../countries";
import type { Deps } from "../deps";
import { forget, remember } from "../service-memo";

/** A source whose last three fetches failed (about two hours of backoff) no longer counts as working. */
export const BROKEN_AFTER_FAILURES = 3;
/** The news app counts as a country's source while it pushed an article from there this week. */
export const PUSHED_WITHIN_MS = 7 * 24 * 3_600_000;
/** Sources change rarely (ingestion every 30 minutes, the operator's edits): the pages read it this often. */
export const OFFERED_TTL_MS = 5 * 60_000;

const KEY = "offered-countries";

export async function offeredCountries(deps: Pick<Deps, "db" | "config" | "clock">): Promise<ReadonlySet<string>> {
  const now = deps.clock();
  return remember(deps.config, KEY, now, OFFERED_TTL_MS, async () => {
    const codes = await countriesWithWorkingSources(deps.db, {
      maxFailures: BROKEN_AFTER_FAILURES,
      pushedSince: new Date(now.getTime() - PUSHED_WITHIN_MS),
    });
    return new Set(codes.filter(isCountryCode));
  });
}

/** After the operator adds or edits a source: the forms show the change on the next view. */
export function forgetOfferedCountries(deps: Pick<Deps, "config">): void {
  forget(deps.config, KEY);
}
