// Are two articles about the same event? A probability from nine measures of a pair, weighed by a
// logistic model fitted to labelled pairs. Pure. How the measures and weights were chosen: cluster.ts.
import type { ArticleProfile } from "./article-profile";

export const FEATURES = [
  /** ln(0.02 + cosine of the TF-IDF vectors of title (counted twice) and summary terms). */
  "textSimilarity",
  /** ln(0.02 + cosine of the TF-IDF vectors of the names). */
  "nameSimilarity",
  /** 1 when the two name a country in common (or, naming none, are from one). */
  "sharedCountry",
  /** 1 when both name countries and none in common: about different places. */
  "countryConflict",
  /** Days between their publication. */
  "daysApart",
  /** The rarest term they share: its IDF over the window, scaled by the largest possible (0–1). */
  "rarestSharedWord",
  /** 1 when each headline names a kind of event (earthquake, strike, rate decision...) the other never mentions. */
  "eventTypeConflict",
] as const;
export type Feature = (typeof FEATURES)[number];
export type Weights = Readonly<Record<Feature | "bias", number>>;

/** Fitted by `npm run eval:stories -- --fit` on every labelled corpus; see cluster.ts for the figures. */
export const WEIGHTS: Weights = {
  textSimilarity: 1.55,
  nameSimilarity: 0.72,
  sharedCountry: 4.0,
  countryConflict: -0.54,
  daysApart: -1.37,
  rarestSharedWord: 1.03,
  eventTypeConflict: -2.59,
  bias: 3.14,
};

const TITLE_WEIGHT = 2;
const SIMILARITY_FLOOR = 0.02;
const DAY = 86_400_000;

/** A sparse unit vector: term ids ascending, with their weights. */
interface Sparse {
  ids: Int32Array;
  weights: Float64Array;
}

/** The articles grouped together, with the word statistics (IDF) taken over all of them. */
export class GroupingWindow {
  readonly size: number;
  readonly text: Sparse[];
  private readonly names: Sparse[];
  private readonly textIdf: Float64Array;
  private readonly maxIdf: number;

  constructor(readonly profiles: readonly ArticleProfile[]) {
    this.size = profiles.length;
    const textVocabulary = new Vocabulary();
    const nameVocabulary = new Vocabulary();
    const textCounts = profiles.map((p) => {
      const counts = new Map<number, number>();
      for (const t of p.titleTerms) textVocabulary.count(counts, t, TITLE_WEIGHT);
      for (const t of p.summaryTerms) textVocabulary.count(counts, t, 1);
      return counts;
    });
    const nameCounts = profiles.map((p) => {
      const counts = new Map<number, number>();
      for (const n of p.names) nameVocabulary.count(counts, n, 1);
      return counts;
    });
    const textIdf = (this.textIdf = textVocabulary.idf(this.size));
    const nameIdf = nameVocabulary.idf(this.size);
    this.maxIdf = Math.log(1 + this.size);
    this.text = textCounts.map((c) => unitVector(c, textIdf));
    this.names = nameCounts.map((c) => unitVector(c, nameIdf));
  }

  /** The measures of pair (i, j), in the order of FEATURES. `textCosine` when already known. */
  features(i: number, j: number, textCosine = cosine(this.text[i]!, this.text[j]!)): number[] {
    const [a, b] = [this.profiles[i]!, this.profiles[j]!];
    const shared = a.countries.some((c) => b.countries.includes(c));
    return [
      Math.log(textCosine + SIMILARITY_FLOOR),
      Math.log(cosine(this.names[i]!, this.names[j]!) + SIMILARITY_FLOOR),
      shared ? 1 : 0,
      !shared && a.namesCountries && b.namesCountries ? 1 : 0,
      Math.abs(a.time - b.time) / DAY,
      this.rarestShared(i, j),
      eventTypeConflict(a, b) ? 1 : 0,
    ];
  }

  /** σ(weights · features(i, j)), without building the feature list (the grouping's hot path). */
  probability(i: number, j: number, weights: Weights = WEIGHTS, textCosine = cosine(this.text[i]!, this.text[j]!)): number {
    const a = this.profiles[i]!;
    const b = this.profiles[j]!;
    let shared = false;
    for (const c of a.countries) if (b.countries.includes(c)) shared = true;
    const z =
      weights.bias +
      weights.textSimilarity * Math.log(textCosine + SIMILARITY_FLOOR) +
      weights.nameSimilarity * Math.log(cosine(this.names[i]!, this.names[j]!) + SIMILARITY_FLOOR) +
      (shared ? weights.sharedCountry : a.namesCountries && b.namesCountries ? weights.countryConflict : 0) +
      weights.daysApart * (Math.abs(a.time - b.time) / DAY) +
      weights.rarestSharedWord * this.rarestShared(i, j) +
      (eventTypeConflict(a, b) ? weights.eventTypeConflict : 0);
    return 1 / (1 + Math.exp(-z));
  }

  /** Both name countries and none in common: never one story (the veto). */
  countriesConflict(i: number, j: number): boolean {
    const [a, b] = [this.profiles[i]!, this.profiles[j]!];
    return a.namesCountries && b.namesCountries && !a.countries.some((c) => b.countries.includes(c));
  }

  private rarestShared(i: number, j: number): number {
    const a = this.text[i]!.ids;
    const b = this.text[j]!.ids;
    let best = 0;
    for (let x = 0, y = 0; x < a.length && y < b.length; ) {
      if (a[x]! < b[y]!) x++;
      else if (a[x]! > b[y]!) y++;
      else {
        best = Math.max(best, this.textIdf[a[x]!]!);
        x++;
        y++;
      }
    }
    return best / this.maxIdf;
  }
}

export function logistic(x: readonly number[], weights: Weights): number {
  let z = weights.bias;
  FEATURES.forEach((f, k) => (z += weights[f] * x[k]!));
  return 1 / (1 + Math.exp(-z));
}

function eventTypeConflict(a: ArticleProfile, b: ArticleProfile): boolean {
  if (a.titleEventTypes.size === 0 || b.titleEventTypes.size === 0) return false;
  for (const t of a.titleEventTypes) if (b.eventTypes.has(t)) return false;
  for (const t of b.titleEventTypes) if (a.eventTypes.has(t)) return false;
  return true;
}

export function cosine(a: Sparse, b: Sparse): number {
  let sum = 0;
  for (let x = 0, y = 0; x < a.ids.length && y < b.ids.length; ) {
    if (a.ids[x]! < b.ids[y]!) x++;
    else if (a.ids[x]! > b.ids[y]!) y++;
    else sum += a.weights[x++]! * b.weights[y++]!;
  }
  return sum;
}

class Vocabulary {
  private readonly ids = new Map<string, number>();
  private df: number[] = [];
  count(counts: Map<number, number>, word: string, weight: number): void {
    let id = this.ids.get(word);
    if (id === undefined) this.ids.set(word, (id = this.df.push(0) - 1));
    if (!counts.has(id)) this.df[id]!++;
    counts.set(id, (counts.get(id) ?? 0) + weight);
  }
  /** ln(1 + N / df) per id. */
  idf(n: number): Float64Array {
    return Float64Array.from(this.df, (df) => Math.log(1 + n / df));
  }
}

function unitVector(counts: Map<number, number>, idf: Float64Array): Sparse {
  const ids = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const weights = Float64Array.from(ids, (id) => counts.get(id)! * idf[id]!);
  const length = Math.hypot(...weights) || 1;
  for (let k = 0; k < weights.length; k++) weights[k] = weights[k]! / length;
  return { ids, weights };
}
