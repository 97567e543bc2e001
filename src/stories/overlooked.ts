// The "overlooked by US media" signal. Pure: a story's coverage counts in, a score and a plain-words
// reason out.
//
// Score (0–1, higher = more overlooked and more widely covered abroad):
//   breadth = 0.6 × min(1, (countries − 1) / 4) + 0.4 × min(1, (outlets − 1) / 5)      (0 … 1)
//   base    = 0.4 + 0.6 × breadth                                                      (0.4 … 1)
//   score   = base                               when no tracked US outlet covered it (overlooked)
//           = base × 0.35 × (1 − us / tracked)   when some did (named in the reason)    (< 0.35)
//           = base × 0.5                         when no US outlet is tracked (unknown)
// so every overlooked story ranks above every story US outlets covered, and among either kind,
// more outlets in more countries rank higher.
import { countryName } from "../countries";

export interface Coverage {
  /** Distinct foreign (non-reference) outlets in the story. */
  outletCount: number;
  /** Distinct countries of those outlets. */
  countries: string[];
  /** Names of the US reference outlets whose reports joined the story (passed the same-event test). */
  usOutlets: string[];
  /** US reference outlets we track (enabled, fetched successfully in the period). */
  trackedUsOutlets: number;
}

export interface OverlookedSignal {
  score: number;
  /** No tracked US outlet covered it (and at least one is tracked). */
  overlooked: boolean;
  reason: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function scoreOverlooked(coverage: Coverage): OverlookedSignal {
  const outlets = coverage.outletCount;
  const countries = [...new Set(coverage.countries)];
  const usNames = [...new Set(coverage.usOutlets)].sort((a, b) => a.localeCompare(b));
  const us = usNames.length;
  const tracked = Math.max(coverage.trackedUsOutlets, us);

  if (outlets === 0) {
    return { score: 0, overlooked: false, reason: `Covered only by US outlets: ${listed(usNames)}.` };
  }

  const where = countries.length === 1 ? countryName(countries[0]!) : plural(countries.length, "country").replace(/ys$/, "ies");
  const foreign = `Covered by ${plural(outlets, "outlet")} in ${where}`;
  const breadth = 0.6 * Math.min(1, (countries.length - 1) / 4) + 0.4 * Math.min(1, (outlets - 1) / 5);
  const base = 0.4 + 0.6 * breadth;
  const round = (x: number) => Math.round(x * 1000) / 1000;

  if (tracked === 0) {
    return {
      score: round(base * 0.5),
      overlooked: false,
      reason: `${foreign}; we track no US outlets, so US coverage is unknown.`,
    };
  }
  if (us === 0) {
    const none = tracked === 1 ? "not by the one US outlet we track" : `none of the ${tracked} US outlets we track`;
    return { score: round(base), overlooked: true, reason: `${foreign}; ${none}.` };
  }
  return { score: round(base * 0.35 * (1 - us / tracked)), overlooked: false, reason: `${foreign}. Also covered by ${listed(usNames)}.` };
}

/** "AP", "AP and NPR", "AP, CNN and NPR"; past four names, "AP, CNN, NPR, Fox News and 2 more". */
function listed(names: string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  const shown = names.length > 4 ? names.slice(0, 4) : names.slice(0, -1);
  const last = names.length > 4 ? `${names.length - 4} more` : names[names.length - 1]!;
  return `${shown.join(", ")} and ${last}`;
}
