// Groups articles about the same event into stories. Pure: the window's articles in (with the stories
// they are in so far), the stories as they should now be out; cluster-stories.ts stores the change.
//
// METHOD
// 1. Each article is profiled once (article-profile.ts): Porter2-stemmed terms (wink-porter2-stemmer) with
//    a small table of news synonyms met in one term, names (capitalised words inside sentences), the
//    countries it names (place-names.ts: names, short forms, demonyms, capitals, US states; the outlet's own
//    country when it names none) and the kinds of event its headline and text name (event-types.ts).
// 2. A pair's probability of being one event is a logistic model over nine measures (same-story.ts): text
//    and name similarity (log TF-IDF cosines, IDF over the window), a shared country and how rare it is in
//    the window, countries named on both sides with none in common, days apart, sharing nothing but a
//    country's name, the rarest shared term, headlines naming different kinds of event. The weights are
//    fitted (L2 = 1) to the labelled pairs of five corpora, as Miranda et al. (EMNLP 2018) fit theirs.
// 3. Foreign articles are grouped by average linkage: the two groups whose pairs' mean probability is
//    highest merge while it is at least 0.5 (a pair not compared counts 0). One chance resemblance cannot
//    chain two stories, and the order articles arrive in does not matter: the shell groups the whole window
//    again whenever an article waits for its story. Two groups never merge if two of their articles name
//    countries and none in common (the entity-conflict veto).
// 4. A US article counts as coverage of the foreign story holding its most similar article, when that
//    pair reaches 0.5 too and every article of the story shares a country other than the US with it: US
//    domestic news and look-alikes elsewhere do not make a story covered.
// 5. Optional: with an embedding model configured (src/embeddings/), the cosine of the two articles'
//    vectors moves the pair's logit (same-story.ts, "meaning"); not fitted, off by default.
// 6. Stories keep their ids: each new group takes the id of the existing story most of its articles were
//    in (largest overlaps first), so a story sent yesterday is the same story today.
//
// EVIDENCE (npm run eval:stories; corpora: shared/editorial/dev-corpus.json and test/fixtures/editorial/,
// 606 articles, 170 stories, 223 look-alike pairs). Leave one corpus out — each corpus grouped with weights
// fitted on the other four — pooled: precision 0.94, recall 0.76, F1 0.84; look-alikes joined 18 of 223;
// "overlooked" right 162 of 170; US-only joined 2 of 37. The grouping this replaced (one pass, TF-IDF
// cosine ≥ 0.22, joined to the best story): F1 0.53 on the dev corpus and 0.20–0.32 on the four others.
// - What each part is worth (--ablate, pooled F1 / look-alikes / overlooked): all 0.84 / 18 / 162;
//   single linkage instead of average 0.58 / 46 / 144 (chaining: precision 0.43); without the veto
//   0.84 / 20 / 161; US coverage without the shared-country check: US-only joined 6 instead of 2; each
//   measure left out in turn costs 0.01–0.02 F1 (the measures overlap; none carries the method alone).
// - Measures tried and dropped: shared figures (6.4, 137,000) and headlines naming different people —
//   left out one at a time, the figures did not move; character n-gram similarity (titles and names) —
//   no gain; title-only cosine, title-against-summary cosine — no gain once the text cosine is there.
//   Stemming: Porter2, the hand-written suffix stripper it replaced and no stemming were within 0.01 F1 of
//   each other in the development harness; Porter2 is kept as the well-kept standard.
// - Constants: same-story 0.5 (0.4: P 0.93 R 0.79; 0.6: P 0.93 R 0.69 — precision first); L2 1 (0.1 the
//   same, 10 costs recall); the 30 neighbours, the 2% / 1% common-word rules and the 0.2 floor below give
//   the stories of comparing every pair on the corpora, at a cost that grows with the window, not its square.
// - A denser window (--together: the five corpora in one 56-hour window, 606 articles): pairs within a corpus
//   keep precision 0.94 (recall 0.66); 100 pairs are joined across corpora, some of them the same real
//   event written twice by two corpus writers. Production windows are denser still: see README.
import { profileArticle, type ArticleProfile } from "./article-profile";
import { cosine, GroupingWindow, WEIGHTS, type Weights } from "./same-story";

/** Mean pair probability at or above which two groups are one story. */
export const SAME_STORY = 0.5;
/** Articles further apart than this in publication time are never one story. */
export const WINDOW_HOURS = 48;
/** Pairs whose text cosine is below this are not compared (their probability is ~0 for any other measure). */
export const MIN_TEXT_COSINE = 0.02;
/**
 * Pairs less likely than this are left out of the grouping (counted 0 in means). On the corpora any floor
 * from 0.01 to 0.2 gives the same stories; 0.2 halves the grouping's time on the bench's 7,500 articles.
 */
const MIN_PROBABILITY = 0.2;
/** How many most similar articles each article is compared with. */
export const NEIGHBOURS = 30;
/**
 * Words in more than this share of the window (and more than COMMON_MIN_DF articles) are not searched for
 * neighbours (a pair sharing only such words is no story; their products still count in the cosine).
 */
const COMMON_SHARE = 0.01;
const COMMON_MIN_DF = 50;

export interface ClusterArticle {
  id: number;
  title: string;
  summary: string;
  /** The outlet's country. */
  country: string;
  publishedAt: Date;
  isReference: boolean;
  /** Its story so far; null for an article not yet grouped. */
  storyId: number | null;
  /** Its profile when already computed (callers that group the same articles repeatedly). */
  profile?: ArticleProfile;
  /** Its meaning vector, unit length, when embeddings are on and it has one (see ClusterOptions.meaning). */
  embedding?: Float32Array | null;
}

export interface StoryPlan {
  /** The existing story these articles form, or null for a new one. */
  storyId: number | null;
  /** Every article of the story within the window (foreign ones first, then US coverage). */
  articleIds: number[];
  /** Representative English title: the most central foreign article's (earliest on a tie). */
  title: string;
}

export interface ClusterOptions {
  weights?: Weights;
  threshold?: number;
  /**
   * For measuring the method (`npm run eval:stories -- --ablate`): "single" joins any two groups with one
   * pair at the threshold (chaining, as the single pass this replaced could); `noVeto` lets groups naming
   * different countries merge; `anyCoverage` lets a US report cover a story it shares no country with.
   */
  linkage?: "average" | "single";
  noVeto?: boolean;
  anyCoverage?: boolean;
  /** Probability at or above which a US report counts as coverage (default: `threshold`). */
  coverageThreshold?: number;
  windowHours?: number;
  /**
   * The optional meaning measure (same-story.ts): articles' `embedding` cosines move a pair's logit by
   * weight × (cosine − midpoint). Candidate pairs stay the lexical ones (see candidatePairs).
   */
  meaning?: { weight: number; midpoint: number };
}

/**
 * The stories of `articles`, for every story that changes: a new one, or one that gains or loses an
 * article. Articles not mentioned keep their story.
 */
export function planStories(articles: readonly ClusterArticle[], options: ClusterOptions = {}): StoryPlan[] {
  const { groups, central } = groupArticles(articles, options);
  return reconcile(articles, groups, central);
}

export interface Grouping {
  /** Positions in the input: foreign stories with their US coverage, then US-only stories. */
  groups: number[][];
  /** Per group, its most central article (the title's), foreign where it has any. */
  central: number[];
}

export function groupArticles(articles: readonly ClusterArticle[], options: ClusterOptions = {}): Grouping {
  const weights = options.weights ?? WEIGHTS;
  const threshold = options.threshold ?? SAME_STORY;
  const windowMs = (options.windowHours ?? WINDOW_HOURS) * 3_600_000;
  const meaning = options.meaning && articles.some((a) => a.embedding) ? { ...options.meaning, vectors: articles.map((a) => a.embedding) } : null;
  const window = new GroupingWindow(
    articles.map((a) => a.profile ?? profileArticle(a)),
    meaning,
  );
  const edges = compare(window, articles, weights, windowMs);

  const foreign = articles.map((_, i) => i).filter((i) => !articles[i]!.isReference);
  const us = articles.map((_, i) => i).filter((i) => articles[i]!.isReference);
  const places = (i: number) => (!options.noVeto && window.profiles[i]!.namesCountries ? window.profiles[i]!.countries : null);
  const stories = options.linkage === "single" ? singleLinkage(foreign, edges, threshold) : averageLinkage(foreign, edges, threshold, places);

  // US coverage: the story holding the US article's most similar foreign article, when every article of
  // that story shares a non-US country with it.
  const unattached: number[] = [];
  const storyOf = new Map<number, number>();
  stories.forEach((s, k) => s.forEach((i) => storyOf.set(i, k)));
  const coverage = stories.map(() => [] as number[]);
  for (const u of us) {
    let best = -1;
    let bestP = options.coverageThreshold ?? threshold;
    for (let n = 0; n < edges.of[u]!.length; n++) {
      const [i, p] = [edges.of[u]![n]!, edges.probability[u]![n]!];
      const k = storyOf.get(i);
      if (k === undefined || p < bestP || (!options.anyCoverage && !stories[k]!.every((m) => coversPlace(window.profiles[u]!, window.profiles[m]!)))) continue;
      [best, bestP] = [k, p];
    }
    if (best >= 0) coverage[best]!.push(u);
    else unattached.push(u);
  }
  const usOnly = averageLinkage(unattached, edges, threshold, () => null);
  return {
    groups: [...stories.map((s, k) => [...s, ...coverage[k]!]), ...usOnly],
    central: [...stories, ...usOnly].map((g) => mostCentral(g, edges, articles)),
  };
}

/** The member with the largest summed probability to the others (the earliest on a tie). */
function mostCentral(group: number[], edges: Neighbours, articles: readonly ClusterArticle[]): number {
  let best = group[0]!;
  let bestSum = -1;
  const members = new Set(group);
  for (const i of group) {
    let sum = 0;
    edges.of[i]!.forEach((j, n) => {
      if (members.has(j)) sum += edges.probability[i]![n]!;
    });
    const earlier = articles[i]!.publishedAt.getTime() < articles[best]!.publishedAt.getTime();
    if (sum > bestSum + 1e-9 || (Math.abs(sum - bestSum) <= 1e-9 && earlier)) [best, bestSum] = [i, sum];
  }
  return best;
}

/** A US report can cover the story of `foreign` only if it names a country of it other than the US. */
function coversPlace(us: ArticleProfile, foreign: ArticleProfile): boolean {
  if (foreign.countries.every((c) => c === "US")) return true;
  return us.countries.some((c) => c !== "US" && foreign.countries.includes(c));
}

/** Each article's compared neighbours and the pair's probability (both directions listed). */
interface Neighbours {
  of: number[][];
  probability: number[][];
}

/** Probabilities of the pairs worth comparing, within the time window, at least MIN_PROBABILITY. */
function compare(window: GroupingWindow, articles: readonly ClusterArticle[], weights: Weights, windowMs: number): Neighbours {
  const edges: Neighbours = { of: articles.map(() => []), probability: articles.map(() => []) };
  const times = articles.map((a) => a.publishedAt.getTime());
  const { a, b, cos, length } = candidatePairs(window);
  for (let k = 0; k < length; k++) {
    const [i, j] = [a[k]!, b[k]!];
    if (Math.abs(times[i]! - times[j]!) > windowMs) continue;
    const p = window.probability(i, j, weights, cos[k]!);
    if (p < MIN_PROBABILITY) continue;
    edges.of[i]!.push(j);
    edges.probability[i]!.push(p);
    edges.of[j]!.push(i);
    edges.probability[j]!.push(p);
  }
  return edges;
}

/**
 * The pairs worth comparing: each article with its NEIGHBOURS most similar others by text cosine (of at
 * least MIN_TEXT_COSINE), both ways — the union. A story is far smaller than that, so its articles are
 * each other's neighbours, and the comparisons grow with the window, not its square (on the corpora, 30
 * neighbours give exactly the stories of comparing every pair). Neighbours are looked for through an
 * inverted index of the words in at most COMMON_SHARE of the window (a pair sharing only the day's
 * common words — "government", "police" — is not one story); their cosine is exact (the common words'
 * products added). Each pair once,
 * i < j.
 * With embeddings on, the candidates stay these lexical pairs: the meaning measure only reweighs them.
 * Embedding neighbours would need every pair's dot product (7,500 articles: 28 million pairs × 1,024
 * dimensions) or an approximate index; articles reach grouping in English, so a same-event pair shares
 * some searched word and is found here.
 */
export function candidatePairs(window: GroupingWindow, neighbours = NEIGHBOURS, min = MIN_TEXT_COSINE): { a: Int32Array; b: Int32Array; cos: Float64Array; length: number } {
  const n = window.size;
  let terms = 0;
  for (const v of window.text) for (const id of v.ids) terms = Math.max(terms, id + 1);
  const df = new Int32Array(terms);
  for (const v of window.text) for (const id of v.ids) df[id]!++;
  const commonDf = Math.max(COMMON_MIN_DF, n * COMMON_SHARE);
  const searched = (id: number) => df[id]! <= commonDf;
  const start = new Int32Array(terms + 1);
  for (const v of window.text) for (const id of v.ids) if (searched(id)) start[id + 1]!++;
  for (let t = 0; t < terms; t++) start[t + 1]! += start[t]!;
  const fill = start.slice(0, terms);
  const postingArticle = new Int32Array(start[terms]!);
  const postingWeight = new Float64Array(start[terms]!);
  window.text.forEach((v, i) => {
    for (let k = 0; k < v.ids.length; k++) {
      if (!searched(v.ids[k]!)) continue;
      const slot = fill[v.ids[k]!]!++;
      postingArticle[slot] = i;
      postingWeight[slot] = v.weights[k]!;
    }
  });

  // Each article's common words, to complete the searched words' dot products into exact cosines.
  const commonIds: Int32Array[] = [];
  const commonWeights: Float64Array[] = [];
  for (const v of window.text) {
    const keep = [...v.ids.keys()].filter((k) => !searched(v.ids[k]!));
    commonIds.push(Int32Array.from(keep, (k) => v.ids[k]!));
    commonWeights.push(Float64Array.from(keep, (k) => v.weights[k]!));
  }
  const commonWeightOf = new Float64Array(terms);

  const dots = new Float64Array(n);
  const touched = new Int32Array(n);
  const scratch = new Float64Array(n);
  const seen = new Set<number>();
  let [pairA, pairB, pairCos] = [new Int32Array(n * 8 + 16), new Int32Array(n * 8 + 16), new Float64Array(n * 8 + 16)];
  let length = 0;
  for (let i = 0; i < n; i++) {
    const { ids, weights } = window.text[i]!;
    let count = 0;
    for (let k = 0; k < ids.length; k++) {
      if (!searched(ids[k]!)) continue;
      const w = weights[k]!;
      for (let p = start[ids[k]!]!, end = start[ids[k]! + 1]!; p < end; p++) {
        const j = postingArticle[p]!;
        if (j === i) continue;
        if (dots[j] === 0) touched[count++] = j;
        dots[j] = dots[j]! + w * postingWeight[p]!;
      }
    }
    // Exact cosines; the neighbours-th largest (at least `min`) is the bar this article's pairs must reach.
    let kept = 0;
    const ci = commonIds[i]!;
    const wi = commonWeights[i]!;
    for (let x = 0; x < ci.length; x++) commonWeightOf[ci[x]!] = wi[x]!;
    for (let t = 0; t < count; t++) {
      const j = touched[t]!;
      let dot = dots[j]!;
      const cj = commonIds[j]!;
      const wj = commonWeights[j]!;
      for (let y = 0; y < cj.length; y++) dot += commonWeightOf[cj[y]!]! * wj[y]!;
      dots[j] = dot;
      if (dot >= min) scratch[kept++] = dot;
    }
    for (let x = 0; x < ci.length; x++) commonWeightOf[ci[x]!] = 0;
    const bar = kept > neighbours ? kthLargest(scratch, kept, neighbours) : min;
    for (let t = 0; t < count; t++) {
      const j = touched[t]!;
      const cos = dots[j]!;
      dots[j] = 0;
      if (cos < bar) continue;
      const a = i < j ? i : j;
      const b = i < j ? j : i;
      const key = a * n + b;
      if (seen.has(key)) continue;
      seen.add(key);
      if (length === pairA.length) [pairA, pairB, pairCos] = [grown(pairA), grown(pairB), grown(pairCos)];
      pairA[length] = a;
      pairB[length] = b;
      pairCos[length++] = cos;
    }
  }
  return { a: pairA, b: pairB, cos: pairCos, length };
}

function grown<T extends Int32Array | Float64Array>(array: T): T {
  const bigger = new (array.constructor as new (n: number) => T)(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** The k-th largest of values[0..length) (reorders them). */
function kthLargest(values: Float64Array, length: number, k: number): number {
  let lo = 0;
  let hi = length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return values[target]!;
}

/**
 * Average-linkage agglomeration of `members` over sparse pair probabilities (absent pairs count 0): the
 * two groups with the highest mean merge while it reaches `threshold`, unless their articles name
 * countries none of which the other group's article names (`places`: each member's named countries, or
 * null when it names none).
 */
function averageLinkage(all: number[], edges: Neighbours, threshold: number, places: (i: number) => readonly string[] | null): number[][] {
  // An article with no pair reaching the threshold stays alone (a mean never exceeds its largest pair).
  const alone: number[][] = [];
  const members: number[] = [];
  for (const i of all) {
    if (edges.probability[i]!.some((p) => p >= threshold)) members.push(i);
    else alone.push([i]);
  }
  const inSet = new Set(members);
  const group = new Map<number, number[]>(members.map((i) => [i, [i]]));
  // Per group: the distinct sets of countries its members name (few: a story is about one place).
  const named = new Map<number, Array<readonly string[]>>(members.map((i) => [i, places(i) ? [places(i)!] : []]));
  const sums = new Map<number, Map<number, number>>(members.map((i) => [i, new Map()]));
  for (const i of members) {
    const row = sums.get(i)!;
    edges.of[i]!.forEach((j, n) => {
      if (inSet.has(j)) row.set(j, edges.probability[i]![n]!);
    });
  }
  const heap = new MaxHeap();
  // Only means that reach the threshold are queued: a mean changes only when one of its groups grows,
  // and it is queued again then.
  for (const [a, row] of sums) for (const [b, s] of row) if (a < b && s >= threshold) heap.push(s, a, b);
  const top: [number, number, number] = [0, 0, 0];
  while (heap.pop(top)) {
    const [mean, a, b] = top;
    const [ga, gb] = [group.get(a), group.get(b)];
    if (!ga || !gb) continue;
    const [ra, rb] = [sums.get(a)!, sums.get(b)!];
    const sum = ra.get(b);
    if (sum === undefined || sum / (ga.length * gb.length) !== mean) continue; // stale entry
    if (conflicting(named.get(a)!, named.get(b)!)) {
      // For good: a group only grows, and its places with it.
      ra.delete(b);
      rb.delete(a);
      continue;
    }
    // The group with fewer neighbours joins the other (the keeper's sums become the union's).
    const [keep, gone] = ra.size >= rb.size ? [a, b] : [b, a];
    const [rk, rg] = [sums.get(keep)!, sums.get(gone)!];
    const kept = group.get(keep)!;
    kept.push(...group.get(gone)!);
    group.delete(gone);
    named.set(keep, [...named.get(keep)!, ...named.get(gone)!.filter((p) => !named.get(keep)!.some((q) => sameSet(p, q)))]);
    named.delete(gone);
    sums.delete(gone);
    rk.delete(gone);
    for (const [c, s] of rg) {
      if (c === keep) continue;
      const rc = sums.get(c)!;
      rc.delete(gone);
      // A pair vetoed before may come back with part of its sum: the check at its turn vetoes it again
      // (a group's places only grow).
      rk.set(c, (rk.get(c) ?? 0) + s);
    }
    for (const [c, s] of rk) {
      sums.get(c)!.set(keep, s);
      const mean = s / (kept.length * group.get(c)!.length);
      if (mean >= threshold) heap.push(mean, Math.min(keep, c), Math.max(keep, c));
    }
  }
  return [...group.values(), ...alone];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** Some set of `a` and some set of `b` have no country in common. */
function conflicting(a: Array<readonly string[]>, b: Array<readonly string[]>): boolean {
  return a.some((x) => b.some((y) => !x.some((c) => y.includes(c))));
}

/** Groups joined by any pair at the threshold (connected components): for measuring what chaining costs. */
function singleLinkage(members: number[], edges: Neighbours, threshold: number): number[][] {
  const parent = new Map(members.map((i) => [i, i]));
  const find = (i: number): number => {
    const p = parent.get(i)!;
    if (p === i) return i;
    const root = find(p);
    parent.set(i, root);
    return root;
  };
  for (const i of members) {
    edges.of[i]!.forEach((j, n) => {
      if (parent.has(j) && edges.probability[i]![n]! >= threshold) parent.set(find(i), find(j));
    });
  }
  const groups = new Map<number, number[]>();
  for (const i of members) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  return [...groups.values()];
}

/** A binary max-heap of (mean, a, b) in flat arrays: higher mean first, then the smaller pair (so the
 * result does not depend on insertion order). */
class MaxHeap {
  private means = new Float64Array(1024);
  private as = new Int32Array(1024);
  private bs = new Int32Array(1024);
  size = 0;
  push(mean: number, a: number, b: number): void {
    if (this.size === this.means.length) [this.means, this.as, this.bs] = [grown(this.means), grown(this.as), grown(this.bs)];
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(mean, a, b, parent)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, mean, a, b);
  }
  /** The top entry into `out` ([mean, a, b]); false when empty. */
  pop(out: [number, number, number]): boolean {
    if (this.size === 0) return false;
    out[0] = this.means[0]!;
    out[1] = this.as[0]!;
    out[2] = this.bs[0]!;
    const last = --this.size;
    const [mean, a, b] = [this.means[last]!, this.as[last]!, this.bs[last]!];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const child = r < last && this.before(this.means[r]!, this.as[r]!, this.bs[r]!, l) ? r : l;
      if (this.before(mean, a, b, child)) break;
      this.move(child, i);
      i = child;
    }
    if (last > 0) this.set(i, mean, a, b);
    return true;
  }
  private before(mean: number, a: number, b: number, k: number): boolean {
    const m = this.means[k]!;
    return mean > m || (mean === m && (a < this.as[k]! || (a === this.as[k]! && b < this.bs[k]!)));
  }
  private move(from: number, to: number): void {
    this.means[to] = this.means[from]!;
    this.as[to] = this.as[from]!;
    this.bs[to] = this.bs[from]!;
  }
  private set(k: number, mean: number, a: number, b: number): void {
    this.means[k] = mean;
    this.as[k] = a;
    this.bs[k] = b;
  }
}

/** Existing story ids onto the new groups (largest overlaps first); only groups that change are planned. */
function reconcile(articles: readonly ClusterArticle[], groups: number[][], central: number[]): StoryPlan[] {
  const overlaps: Array<{ group: number; storyId: number; count: number }> = [];
  groups.forEach((g, k) => {
    const counts = new Map<number, number>();
    for (const i of g) {
      const s = articles[i]!.storyId;
      if (s !== null) counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    for (const [storyId, count] of counts) overlaps.push({ group: k, storyId, count });
  });
  overlaps.sort((x, y) => y.count - x.count || x.storyId - y.storyId || x.group - y.group);
  const idOf = new Map<number, number>();
  const taken = new Set<number>();
  for (const o of overlaps) {
    if (idOf.has(o.group) || taken.has(o.storyId)) continue;
    idOf.set(o.group, o.storyId);
    taken.add(o.storyId);
  }
  const plans: StoryPlan[] = [];
  groups.forEach((g, k) => {
    const storyId = idOf.get(k) ?? null;
    if (storyId !== null && g.every((i) => articles[i]!.storyId === storyId)) return;
    plans.push({ storyId, articleIds: g.map((i) => articles[i]!.id), title: articles[central[k]!]!.title });
  });
  return plans;
}
