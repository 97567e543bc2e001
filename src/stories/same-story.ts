// Are two articles about the same event? A probability from nine measures of a pair, weighed by a
// logistic model fitted to labelled pairs. Pure. How the measures and weights were chosen: cluster.ts.
// A tenth, optional measure — meaning similarity, the cosine of two embedding vectors (src/embeddings/) —
// is added to the logit when both articles have a vector: weight × (cosine − midpoint). Its weight and
// midpoint are settings, not fitted (no embedding model could be reached where this was written; README,
// "Semantic embeddings"); without vectors it adds nothing, so the lexical probabilities are unchanged.
import type { ArticleProfile } from "./article-profile";
import { placeOf } from "./place-names";

export const FEATURES = [
  /** ln(0.02 + cosine of the TF-IDF vectors of title (counted twice) and summary terms). */
  "textSimilarity",
  /** ln(0.02 + cosine of the TF-IDF vectors of the names). */
  "nameSimilarity",
  /** 1 when the two name a country in common (or, naming none, are from one). */
  "sharedCountry",
  /** The rarest country they share, by its IDF over the window scaled to 0–1 (0 when none). */
  "sharedCountryRarity",
  /** 1 when both name countries and none in common: about different places. */
  "countryConflict",
  /** Days between their publication. */
  "daysApart",
  /** 1 when every term they share is a place that stands for a country ("Nairobi", "Kenyan"). */
  "onlyPlacesShared",
  /** The rarest term they share: its IDF over the window, scaled by the largest possible (0–1). */
  "rarestSharedWord",
  /** 1 when each headline names a kind of event (earthquake, strike, rate decision...) the other never mentions. */
  "eventTypeConflict",
] as const;
export type Feature = (typeof FEATURES)[number];
export type Weights = Readonly<Record<Feature | "bias", number>>;

/** The meaning measure: per article a unit vector (or none), and how its cosine moves the logit. */
export interface Meaning {
  vectors: ReadonlyArray<Float32Array | null | undefined>;
  weight: number;
  midpoint: number;
}

/** Fitted by `npm run eval:stories -- --fit` on every labelled corpus; see cluster.ts for the figures. */
export const WEIGHTS: Weights = {
  textSimilarity: 1.42,
  nameSimilarity: 0.7,
  sharedCountry: 3.35,
  sharedCountryRarity: 1.51,
  countryConflict: -0.51,
  daysApart: -1.42,
  onlyPlacesShared: -2.05,
  rarestSharedWord: 0.82,
  eventTypeConflict: -2.55,
  bias: 2.96,
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
  /** Per text term: a place that stands for a country. */
  private readonly isPlace: Uint8Array;
  private readonly maxIdf: number;
  /** IDF of each country over the window (the countries each article names, or its outlet's), scaled to 0–1. */
  private readonly countryIdf = new Map<string, number>();
  private readonly countryDf = new Map<string, number>();

  constructor(
    readonly profiles: readonly ArticleProfile[],
    private readonly meaning: Meaning | null = null,
  ) {
    this.size = profiles.length;
    const text = tfidfVectors(profiles, (p, add) => {
      for (const t of p.titleTerms) add(t, TITLE_WEIGHT);
      for (const t of p.summaryTerms) add(t, 1);
    });
    const names = tfidfVectors(profiles, (p, add) => {
      for (const n of p.names) add(n, 1);
    });
    this.textIdf = text.idf;
    this.isPlace = Uint8Array.from(text.words, (w) => (placeOf(w)?.isCountry ? 1 : 0));
    this.maxIdf = Math.log(1 + this.size);
    const countryDf = new Map<string, number>();
    for (const p of profiles) for (const c of p.countries) countryDf.set(c, (countryDf.get(c) ?? 0) + 1);
    for (const [c, df] of countryDf) {
      this.countryIdf.set(c, Math.log(1 + this.size / df) / this.maxIdf);
      this.countryDf.set(c, df);
    }
    this.text = text.vectors;
    this.names = names.vectors;
  }

  /** The measures of pair (i, j), in the order of FEATURES. `textCosine` when already known. */
  features(i: number, j: number, textCosine = cosine(this.text[i]!, this.text[j]!)): number[] {
    const [a, b] = [this.profiles[i]!, this.profiles[j]!];
    const shared = a.countries.some((c) => b.countries.includes(c));
    return [
      Math.log(textCosine + SIMILARITY_FLOOR),
      Math.log(cosine(this.names[i]!, this.names[j]!) + SIMILARITY_FLOOR),
      shared ? 1 : 0,
      this.countryRarity(a, b),
      !shared && a.namesCountries && b.namesCountries ? 1 : 0,
      Math.abs(a.time - b.time) / DAY,
      this.onlyPlacesShared(i, j) ? 1 : 0,
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
      (shared ? weights.sharedCountry + weights.sharedCountryRarity * this.countryRarity(a, b) : a.namesCountries && b.namesCountries ? weights.countryConflict : 0) +
      weights.daysApart * (Math.abs(a.time - b.time) / DAY) +
      (this.onlyPlacesShared(i, j) ? weights.onlyPlacesShared : 0) +
      weights.rarestSharedWord * this.rarestShared(i, j) +
      (eventTypeConflict(a, b) ? weights.eventTypeConflict : 0) +
      (this.meaning ? this.meaningTerm(i, j) : 0);
    return 1 / (1 + Math.exp(-z));
  }

  /** The cosine of the two articles' vectors, or null unless both have one (of one length). */
  meaningSimilarity(i: number, j: number): number | null {
    const a = this.meaning?.vectors[i];
    const b = this.meaning?.vectors[j];
    if (!a || !b || a.length !== b.length) return null;
    let dot = 0;
    for (let k = 0; k < a.length; k++) dot += a[k]! * b[k]!;
    return dot;
  }

  private meaningTerm(i: number, j: number): number {
    const cos = this.meaningSimilarity(i, j);
    return cos === null ? 0 : this.meaning!.weight * (cos - this.meaning!.midpoint);
  }

  private countryRarity(a: ArticleProfile, b: ArticleProfile): number {
    let rarest = 0;
    for (const c of a.countries) if (b.countries.includes(c)) rarest = Math.max(rarest, this.countryIdf.get(c)!);
    return rarest;
  }

  /** Both name countries and none in common: never one story (the veto). */
  countriesConflict(i: number, j: number): boolean {
    const [a, b] = [this.profiles[i]!, this.profiles[j]!];
    return a.namesCountries && b.namesCountries && !a.countries.some((c) => b.countries.includes(c));
  }

  private onlyPlacesShared(i: number, j: number): boolean {
    const a = this.text[i]!.ids;
    const b = this.text[j]!.ids;
    let shared = false;
    for (let x = 0, y = 0; x < a.length && y < b.length; ) {
      if (a[x]! < b[y]!) x++;
      else if (a[x]! > b[y]!) y++;
      else {
        if (!this.isPlace[a[x]!]) return false;
        shared = true;
        x++;
        y++;
      }
    }
    return shared;
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

/**
 * Unit TF-IDF vectors of every profile (IDF ln(1 + N / df) over them), from the weighted words `each` adds
 * for a profile. Ids are numbered per call; one scratch array per call, no map per article.
 */
function tfidfVectors(profiles: readonly ArticleProfile[], each: (p: ArticleProfile, add: (word: string, weight: number) => void) => void): { vectors: Sparse[]; idf: Float64Array; words: string[] } {
  const ids = new Map<string, number>();
  let df = new Int32Array(1024);
  let counts = new Float64Array(1024);
  const touched: number[] = [];
  const add = (word: string, weight: number) => {
    let id = ids.get(word);
    if (id === undefined) {
      ids.set(word, (id = ids.size));
      if (id === df.length) [df, counts] = [grow(df), grow(counts)];
    }
    if (counts[id] === 0) touched.push(id);
    counts[id] = counts[id]! + weight;
  };
  const raw = profiles.map((p) => {
    touched.length = 0;
    each(p, add);
    touched.sort((a, b) => a - b);
    const vector = { ids: Int32Array.from(touched), weights: Float64Array.from(touched, (id) => counts[id]!) };
    for (const id of touched) {
      df[id]!++;
      counts[id] = 0;
    }
    return vector;
  });
  const words = [...ids.keys()];
  const idf = new Float64Array(ids.size);
  for (let id = 0; id < ids.size; id++) idf[id] = Math.log(1 + profiles.length / df[id]!);
  for (const v of raw) {
    let norm = 0;
    for (let k = 0; k < v.ids.length; k++) {
      v.weights[k] = v.weights[k]! * idf[v.ids[k]!]!;
      norm += v.weights[k]! ** 2;
    }
    const length = Math.sqrt(norm) || 1;
    for (let k = 0; k < v.weights.length; k++) v.weights[k] = v.weights[k]! / length;
  }
  return { vectors: raw, idf, words };
}

function grow<T extends Int32Array | Float64Array>(array: T): T {
  const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}
