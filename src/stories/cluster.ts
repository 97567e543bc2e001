// Groups articles about the same event into stories. Pure: the window's articles in (with the stories
// they are in so far), the stories as they should now be out; cluster-stories.ts stores the change.
//
// METHOD (chosen by measurement; every figure below is reproduced by `npm run eval:stories`)
// 1. Each article is profiled once (article-profile.ts): Porter2-stemmed terms with news synonyms met,
//    names, the countries it names (place-names.ts; the outlet's own when it names none), event figures,
//    and the kinds of event its headline and text name (event-types.ts).
// 2. A pair's probability of being one event is a logistic model over nine measures (same-story.ts):
//    text and name similarity (log TF-IDF cosines, IDF over the window), a shared country, named countries
//    in conflict, shared figures, days apart, the rarest shared word, headlines naming different kinds
//    of event, headlines naming different people or things. The weights are fitted to every labelled pair
//    of our corpora (L2 = 1); the same-story figure is 0.5.
// 3. Foreign articles are grouped by average linkage: the two groups whose pairs' mean probability is
//    highest merge while it is at least 0.5 (a pair never compared counts 0). Unlike the single pass it
//    replaced, one chance resemblance cannot chain two stories, and arrival order does not matter: the
//    whole window is grouped again each run. Two groups never merge if any two of their articles name
//    countries and none in common (the entity-conflict veto).
// 4. A US article counts as coverage of the foreign story holding its most similar article when that
//    pair's probability is at least 0.5 and every article of the story shares a country other than the
//    US with it: US domestic news and look-alikes elsewhere do not make a story covered.
// 5. Stories keep their ids: each new group takes the id of the existing story most of its articles were
//    in (largest overlaps first), so a story sent yesterday is the same story today.
//
// FIGURES — see README "Editorial quality" for the full table; the module header is the method's record.
import { profileArticle, type ArticleProfile } from "./article-profile";
import { GroupingWindow, WEIGHTS, type Weights } from "./same-story";

/** Mean pair probability at or above which two groups are one story. */
export const SAME_STORY = 0.5;
/** Articles further apart than this in publication time are never one story. */
export const WINDOW_HOURS = 48;
/** Pairs whose text cosine is below this are not compared (their probability is ~0 for any other measure). */
export const MIN_TEXT_COSINE = Number(process.env.MINCOS ?? 0.02);

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
  /** Probability at or above which a US report counts as coverage (default: `threshold`). */
  coverageThreshold?: number;
  windowHours?: number;
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
  const window = new GroupingWindow(articles.map((a) => a.profile ?? profileArticle(a)));
  const edges = compare(window, articles, weights, windowMs);

  const foreign = articles.map((_, i) => i).filter((i) => !articles[i]!.isReference);
  const us = articles.map((_, i) => i).filter((i) => articles[i]!.isReference);
  const stories = averageLinkage(foreign, edges, threshold, (a, b) => window.countriesConflict(a, b));

  // US coverage: the story holding the US article's most similar foreign article, when every article of
  // that story shares a non-US country with it.
  const unattached: number[] = [];
  const storyOf = new Map<number, number>();
  stories.forEach((s, k) => s.forEach((i) => storyOf.set(i, k)));
  const coverage = stories.map(() => [] as number[]);
  for (const u of us) {
    let best = -1;
    let bestP = options.coverageThreshold ?? threshold;
    for (const [i, p] of edges.get(u) ?? []) {
      const k = storyOf.get(i);
      if (k === undefined || p < bestP || !stories[k]!.every((m) => coversPlace(window.profiles[u]!, window.profiles[m]!))) continue;
      [best, bestP] = [k, p];
    }
    if (best >= 0) coverage[best]!.push(u);
    else unattached.push(u);
  }
  const usOnly = averageLinkage(unattached, edges, threshold, () => false);
  return {
    groups: [...stories.map((s, k) => [...s, ...coverage[k]!]), ...usOnly],
    central: [...stories, ...usOnly].map((g) => mostCentral(g, edges, articles)),
  };
}

/** The member with the largest summed probability to the others (the earliest on a tie). */
function mostCentral(group: number[], edges: Map<number, Map<number, number>>, articles: readonly ClusterArticle[]): number {
  let best = group[0]!;
  let bestSum = -1;
  for (const i of group) {
    const row = edges.get(i);
    let sum = 0;
    for (const j of group) sum += row?.get(j) ?? 0;
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

/** Probabilities of the pairs worth comparing: per article, its neighbours and their probability. */
function compare(window: GroupingWindow, articles: readonly ClusterArticle[], weights: Weights, windowMs: number): Map<number, Map<number, number>> {
  const edges = new Map<number, Map<number, number>>();
  const link = (i: number, j: number, p: number) => {
    let m = edges.get(i);
    if (!m) edges.set(i, (m = new Map()));
    m.set(j, p);
  };
  for (const [i, j, cos] of similarPairs(window, MIN_TEXT_COSINE)) {
    const [a, b] = [articles[i]!, articles[j]!];
    if (Math.abs(a.publishedAt.getTime() - b.publishedAt.getTime()) > windowMs) continue;
    const p = window.probability(i, j, weights, cos);
    if (p < Number(process.env.PFLOOR ?? 0.01)) continue;
    link(i, j, p);
    link(j, i, p);
  }
  return edges;
}

/** Pairs (i < j) whose text cosine reaches `min`, through an inverted index of the text vectors. */
export function* similarPairs(window: GroupingWindow, min: number): Generator<[number, number, number]> {
  const postings = new Map<number, Array<[number, number]>>();
  const dots = new Float64Array(window.size);
  const touched: number[] = [];
  for (let i = 0; i < window.size; i++) {
    const { ids, weights } = window.text[i]!;
    for (let k = 0; k < ids.length; k++) {
      for (const [j, w] of postings.get(ids[k]!) ?? []) {
        if (dots[j] === 0) touched.push(j);
        dots[j] = dots[j]! + weights[k]! * w;
      }
    }
    for (const j of touched) {
      if (dots[j]! >= min) yield [j, i, dots[j]!];
      dots[j] = 0;
    }
    touched.length = 0;
    for (let k = 0; k < ids.length; k++) {
      let list = postings.get(ids[k]!);
      if (!list) postings.set(ids[k]!, (list = []));
      list.push([i, weights[k]!]);
    }
  }
}

/**
 * Average-linkage agglomeration of `members` over sparse pair probabilities (absent pairs count 0): the
 * two groups with the highest mean merge while it reaches `threshold`, unless `veto` holds for a pair
 * across them.
 */
function averageLinkage(members: number[], edges: Map<number, Map<number, number>>, threshold: number, veto: (a: number, b: number) => boolean): number[][] {
  const inSet = new Set(members);
  const group = new Map<number, number[]>(members.map((i) => [i, [i]]));
  const sums = new Map<number, Map<number, number>>(members.map((i) => [i, new Map()]));
  for (const i of members) {
    for (const [j, p] of edges.get(i) ?? []) if (inSet.has(j) && j !== i) sums.get(i)!.set(j, p);
  }
  const heap = new MaxHeap();
  for (const [a, row] of sums) for (const [b, s] of row) if (a < b) heap.push(s, a, b);
  const vetoed = new Set<string>();
  while (heap.size > 0) {
    const [mean, a, b] = heap.pop()!;
    if (mean < threshold) break;
    const [ga, gb] = [group.get(a), group.get(b)];
    if (!ga || !gb) continue;
    const current = sums.get(a)!.get(b)! / (ga.length * gb.length);
    if (current !== mean) continue; // stale entry
    if (ga.some((x) => gb.some((y) => veto(x, y)))) {
      vetoed.add(`${a},${b}`);
      sums.get(a)!.delete(b);
      sums.get(b)!.delete(a);
      continue;
    }
    // b joins a: a's sums become the union's.
    ga.push(...gb);
    group.delete(b);
    const [ra, rb] = [sums.get(a)!, sums.get(b)!];
    ra.delete(b);
    sums.delete(b);
    for (const [c, s] of rb) {
      if (c === a) continue;
      const rc = sums.get(c)!;
      rc.delete(b);
      if (vetoed.has(`${Math.min(b, c)},${Math.max(b, c)}`) || vetoed.has(`${Math.min(a, c)},${Math.max(a, c)}`)) continue;
      ra.set(c, (ra.get(c) ?? 0) + s);
    }
    for (const [c, s] of ra) {
      sums.get(c)!.set(a, s);
      heap.push(s / (ga.length * group.get(c)!.length), Math.min(a, c), Math.max(a, c));
    }
  }
  return [...group.values()];
}

/** A binary max-heap of (mean, a, b). */
class MaxHeap {
  private items: Array<[number, number, number]> = [];
  get size(): number {
    return this.items.length;
  }
  push(mean: number, a: number, b: number): void {
    const items = this.items;
    items.push([mean, a, b]);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }
  pop(): [number, number, number] | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let m = i;
        if (l < items.length && before(items[l]!, items[m]!)) m = l;
        if (r < items.length && before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}
/** Higher mean first; ties by the smaller pair, so the result does not depend on insertion order. */
function before(x: [number, number, number], y: [number, number, number]): boolean {
  return x[0] > y[0] || (x[0] === y[0] && (x[1] < y[1] || (x[1] === y[1] && x[2] < y[2])));
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
