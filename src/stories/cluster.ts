// Groups articles about the same event into stories. Pure: articles in, a plan out (which story each new
// article joins, and each touched story's title); the caller stores it.
//
// Method (transparent on purpose): each article is a TF-IDF vector of its English title (counted twice)
// and summary, IDF taken over every article in the window. An article's similarity to a story is the
// larger of its cosine with the story's centroid (the sum of its articles' vectors) and its cosine with
// the story's closest article: the centroid keeps big stories together, the closest article lets a report
// that matches one outlet's angle join. Articles are taken in order of publication; each joins the story
// it is most similar to if that reaches SAME_STORY_THRESHOLD and the story has an article within
// WINDOW_HOURS of it; otherwise it starts a new story. US reference articles are clustered the same way,
// which is how a foreign story learns that US outlets covered it.
import { numberedVectors, type TermTable } from "./text-vectors";

/**
 * Similarity at or above which an article joins a story. Calibrated on two corpora nobody tuned for the
 * other: test/fixtures/story-corpus.ts (6 events × 3–4 outlets, 7 same-day distractors) is grouped
 * exactly from 0.15 to 0.22 (above, a report leading with another angle — the tsunami warning for
 * Okinawa — splits off its earthquake); the offline sample feeds (db/sample-feeds: 4 multi-country
 * events among look-alikes such as metro lines opening in three cities) are grouped exactly from 0.22 to
 * 0.35 (below, two different metro openings merge). 0.22 is exact on both; both checks are tests.
 */
export const SAME_STORY_THRESHOLD = 0.22;
/** Articles more than this far apart in publication time never share a story. */
export const WINDOW_HOURS = 48;

export interface ClusterArticle {
  id: number;
  title: string;
  summary: string;
  publishedAt: Date;
  isReference: boolean;
  /** Its story when already clustered; null for the articles to place. */
  storyId: number | null;
}

export interface StoryPlan {
  /** The existing story, or null for a new one. */
  storyId: number | null;
  /** Articles to attach to this story (the new ones only). */
  addArticleIds: number[];
  /** Representative English title: the foreign article closest to the centroid (earliest on a tie). */
  title: string;
}

export interface ClusterOptions {
  threshold?: number;
  windowHours?: number;
}

interface Group {
  storyId: number | null;
  /** Squared length of the sum of the members' unit vectors (the centroid, unnormalised). */
  normSq: number;
  first: number;
  last: number;
  /** Its articles (positions in the input) in the order they joined. */
  members: number[];
  added: number[];
  /** Sum and largest of the members' lengths over the common terms (for the bounds below). */
  commonSum: number;
  commonMax: number;
  /** The centroid's weight per term, kept only while already-clustered articles are laid out. */
  sum: Map<number, number> | null;
}

/**
 * A term in at least this many articles of the window is "common". Common words (the day's "government",
 * "minister", a country's name) link an article to most stories yet rarely decide which one it joins; see
 * `planClusters` for how they are left out of the search without changing its result.
 */
const COMMON_DF = 16;
/** Slack for floating-point rounding: a story is skipped only if its bound misses the threshold by more. */
const BOUND_SLACK = 1e-9;

/**
 * `articles`: the recent window, both already-clustered articles (storyId set) and the ones to place
 * (storyId null). Returns a plan for every story that gains articles.
 *
 * Cost. Comparing each new article with every story that shares a word with it is quadratic in practice
 * (a common word is in most stories), so the search through the inverted index is pruned, with the same
 * result as the full comparison:
 * - the article's common terms with the longest postings are left out of the walk as long as their
 *   weights' length |vL| stays below the threshold: a story sharing none of the other ("rare") terms
 *   scores at most |vL| (Cauchy–Schwarz), so it cannot be joined;
 * - a story met through rare terms is bounded by its rare-term dot products plus |vL| times its members'
 *   lengths over common terms; if the bound misses the threshold, it is skipped;
 * - every other story is scored exactly as the full walk scores it: each member's products summed in the
 *   article's term order, the members' dots in the order the walk first meets them, ties going to the
 *   story met first. Same floating-point results, same plan (test/stories-cluster-equivalence.test.ts).
 */
export function planClusters(articles: ClusterArticle[], options: ClusterOptions = {}): StoryPlan[] {
  const threshold = options.threshold ?? SAME_STORY_THRESHOLD;
  const windowMs = (options.windowHours ?? WINDOW_HOURS) * 3_600_000;
  const table = numberedVectors(articles);
  const { start, terms, weights, termCount, df } = table;

  // Postings: each term's slice of one array (sized by its document frequency), filled as articles join.
  const postingStart = new Int32Array(termCount + 1);
  for (let t = 0; t < termCount; t++) postingStart[t + 1] = postingStart[t]! + df[t]!;
  const postingEnd = postingStart.slice(0, termCount);
  const postingArticle = new Int32Array(postingStart[termCount]!);
  const postingWeight = new Float64Array(postingStart[termCount]!);

  const groups: Group[] = [];
  const byStory = new Map<number, number>();
  /** Per article: its group once placed, and its place in the joining order. */
  const groupOf = new Int32Array(articles.length);
  const joinOrder = new Int32Array(articles.length);
  let joined = 0;

  const addTo = (gi: number, ai: number, dotWithSum: number) => {
    const group = groups[gi]!;
    groupOf[ai] = gi;
    joinOrder[ai] = joined++;
    let commonSq = 0;
    for (let j = start[ai]!; j < start[ai + 1]!; j++) {
      const [t, w] = [terms[j]!, weights[j]!];
      if (group.sum) group.sum.set(t, (group.sum.get(t) ?? 0) + w);
      if (df[t]! >= COMMON_DF) commonSq += w * w;
      const p = postingEnd[t]!++;
      postingArticle[p] = ai;
      postingWeight[p] = w;
    }
    group.normSq += 2 * dotWithSum + (start[ai + 1]! > start[ai]! ? 1 : 0);
    group.commonSum += Math.sqrt(commonSq);
    group.commonMax = Math.max(group.commonMax, Math.sqrt(commonSq));
    const time = articles[ai]!.publishedAt.getTime();
    group.first = Math.min(group.first, time);
    group.last = Math.max(group.last, time);
    group.members.push(ai);
  };
  const newGroup = (storyId: number | null, time: number, keepSum: boolean): number => {
    groups.push({ storyId, normSq: 0, first: time, last: time, members: [], added: [], commonSum: 0, commonMax: 0, sum: keepSum ? new Map() : null });
    return groups.length - 1;
  };

  articles.forEach((a, ai) => {
    if (a.storyId === null) return;
    let gi = byStory.get(a.storyId);
    if (gi === undefined) byStory.set(a.storyId, (gi = newGroup(a.storyId, a.publishedAt.getTime(), true)));
    addTo(gi, ai, dotWithMap(table, ai, groups[gi]!.sum!));
  });
  for (const g of groups) g.sum = null;

  const pending = articles
    .map((_, ai) => ai)
    .filter((ai) => articles[ai]!.storyId === null)
    .sort((x, y) => articles[x]!.publishedAt.getTime() - articles[y]!.publishedAt.getTime() || articles[x]!.id - articles[y]!.id);
  const limit = Math.max(0, threshold - BOUND_SLACK);
  // Scratch space reused for every article.
  const termSlot = new Int32Array(termCount); // term → ±(1 + its index in the article): + rare, − left out
  const rareDot = new Float64Array(articles.length); // per member
  const rareSum = new Float64Array(groups.length + pending.length); // per story
  const rareMax = new Float64Array(groups.length + pending.length);
  const touchedMembers = new Int32Array(articles.length);
  const touchedGroups = new Int32Array(groups.length + pending.length);
  const commonTerms: number[] = [];
  const exact = new ExactScratch();

  for (const ai of pending) {
    const [from, to] = [start[ai]!, start[ai + 1]!];
    const time = articles[ai]!.publishedAt.getTime();
    for (let j = from; j < to; j++) termSlot[terms[j]!] = j - from + 1;

    // Leave out the common terms with the longest postings while their length stays under the limit.
    commonTerms.length = 0;
    for (let j = from; j < to; j++) if (df[terms[j]!]! >= COMMON_DF) commonTerms.push(j);
    const postings = (j: number) => postingEnd[terms[j]!]! - postingStart[terms[j]!]!;
    commonTerms.sort((x, y) => postings(y) - postings(x) || x - y);
    let leftOutSq = 0;
    for (const j of commonTerms) {
      const sq = weights[j]! * weights[j]!;
      if (Math.sqrt(leftOutSq + sq) >= limit) continue;
      leftOutSq += sq;
      termSlot[terms[j]!] = -termSlot[terms[j]!]!;
    }
    const leftOut = Math.sqrt(leftOutSq);

    // Dot products over the rare terms: per member, then summed and maximised per story.
    let memberTouches = 0;
    for (let j = from; j < to; j++) {
      const t = terms[j]!;
      if (termSlot[t]! < 0) continue;
      const w = weights[j]!;
      for (let p = postingStart[t]!, end = postingEnd[t]!; p < end; p++) {
        const m = postingArticle[p]!;
        if (rareDot[m] === 0) touchedMembers[memberTouches++] = m;
        rareDot[m] = rareDot[m]! + w * postingWeight[p]!;
      }
    }
    let groupTouches = 0;
    for (let i = 0; i < memberTouches; i++) {
      const m = touchedMembers[i]!;
      const g = groupOf[m]!;
      if (rareSum[g] === 0) touchedGroups[groupTouches++] = g;
      rareSum[g] = rareSum[g]! + rareDot[m]!;
      if (rareDot[m]! > rareMax[g]!) rareMax[g] = rareDot[m]!;
      rareDot[m] = 0;
    }

    let best = -1;
    let bestScore = -1;
    let bestDot = 0;
    let bestMet = Infinity;
    for (let i = 0; i < groupTouches; i++) {
      const gi = touchedGroups[i]!;
      const g = groups[gi]!;
      const [sum, max] = [rareSum[gi]!, rareMax[gi]!];
      rareSum[gi] = 0;
      rareMax[gi] = 0;
      if (time < g.first - windowMs || time > g.last + windowMs || g.normSq <= 0) continue;
      const length = Math.sqrt(g.normSq);
      const bound = Math.max(max + leftOut * g.commonMax, (sum + leftOut * Math.min(g.commonSum, length)) / length);
      if (bound < limit) continue;
      scoreExactly(g, ai, table, termSlot, joinOrder, exact);
      const score = Math.max(exact.sum / length, exact.best);
      // Among equal scores the full walk keeps the story it met first.
      if (score > bestScore || (score === bestScore && exact.met < bestMet)) {
        [best, bestScore, bestDot, bestMet] = [gi, score, exact.sum, exact.met];
      }
    }
    for (let j = from; j < to; j++) termSlot[terms[j]!] = 0;

    if (best >= 0 && bestScore >= threshold) {
      addTo(best, ai, bestDot);
      groups[best]!.added.push(articles[ai]!.id);
    } else {
      const gi = newGroup(null, time, false);
      addTo(gi, ai, 0);
      groups[gi]!.added.push(articles[ai]!.id);
    }
  }

  const centroid = new Float64Array(termCount);
  return groups
    .filter((g) => g.added.length > 0)
    .map((g) => ({ storyId: g.storyId, addArticleIds: g.added, title: representativeTitle(g, articles, table, centroid) }));
}

/** Article `ai`'s dot product with a story's centroid, walking the smaller of the two (as text-vectors' `dot`). */
function dotWithMap({ start, terms, weights }: TermTable, ai: number, sum: Map<number, number>): number {
  const [from, to] = [start[ai]!, start[ai + 1]!];
  let total = 0;
  if (to - from <= sum.size) {
    for (let j = from; j < to; j++) {
      const other = sum.get(terms[j]!);
      if (other !== undefined) total += weights[j]! * other;
    }
    return total;
  }
  for (const [t, w] of sum) {
    for (let j = from; j < to; j++) if (terms[j] === t) total += w * weights[j]!;
  }
  return total;
}

/** Scratch space of `scoreExactly`, grown as needed. */
class ExactScratch {
  sum = 0;
  best = 0;
  /** Where the full walk first meets the story: its first shared term's index, then joining order. */
  met = 0;
  sharedK = new Int32Array(64);
  sharedProduct = new Float64Array(64);
  memberK = new Int32Array(64);
  memberDot = new Float64Array(64);
  countPerK = new Int32Array(64);
  sorted = new Float64Array(64);
  fit(members: number, terms: number): void {
    if (this.memberK.length < members) {
      this.memberK = new Int32Array(members * 2);
      this.memberDot = new Float64Array(members * 2);
      this.sorted = new Float64Array(members * 2);
    }
    if (this.sharedK.length < terms + 1) {
      this.sharedK = new Int32Array(terms * 2 + 1);
      this.sharedProduct = new Float64Array(terms * 2 + 1);
      this.countPerK = new Int32Array(terms * 2 + 1);
    }
  }
}

/**
 * A story's exact centroid dot (`sum`) and closest-member dot (`best`) with article `ai`, whose terms'
 * indexes are in `termSlot` (±(index + 1)), added up in the order of the full inverted-index walk: each
 * member's products in the article's term order, the members by their first shared term, then in joining
 * order (the postings' order).
 */
function scoreExactly(group: Group, ai: number, table: TermTable, termSlot: Int32Array, joinOrder: Int32Array, out: ExactScratch): void {
  const { start, terms, weights } = table;
  const articleTerms = start[ai + 1]! - start[ai]!;
  out.fit(group.members.length, articleTerms);
  const { sharedK, sharedProduct, memberK, memberDot, countPerK, sorted } = out;
  let met = 0;
  out.met = Infinity;
  for (const m of group.members) {
    let shared = 0;
    for (let j = start[m]!; j < start[m + 1]!; j++) {
      const slot = termSlot[terms[j]!]!;
      if (slot === 0) continue;
      // Kept in the article's term order by insertion (a member shares a handful of terms).
      const k = Math.abs(slot) - 1;
      const product = weights[start[ai]! + k]! * weights[j]!;
      let i = shared++;
      for (; i > 0 && sharedK[i - 1]! > k; i--) {
        sharedK[i] = sharedK[i - 1]!;
        sharedProduct[i] = sharedProduct[i - 1]!;
      }
      sharedK[i] = k;
      sharedProduct[i] = product;
    }
    if (shared === 0) continue;
    let dot = 0;
    for (let i = 0; i < shared; i++) dot += sharedProduct[i]!;
    memberK[met] = sharedK[0]!;
    memberDot[met++] = dot;
    out.met = Math.min(out.met, sharedK[0]! * 2 ** 32 + joinOrder[m]!);
  }
  // Members by first shared term, joining order within one: a stable counting sort (members come in
  // joining order).
  countPerK.fill(0, 0, articleTerms + 1);
  for (let i = 0; i < met; i++) countPerK[memberK[i]! + 1]!++;
  for (let k = 0; k < articleTerms; k++) countPerK[k + 1]! += countPerK[k]!;
  for (let i = 0; i < met; i++) sorted[countPerK[memberK[i]!]!++] = memberDot[i]!;
  out.sum = 0;
  out.best = 0;
  for (let i = 0; i < met; i++) {
    out.sum += sorted[i]!;
    if (sorted[i]! > out.best) out.best = sorted[i]!;
  }
}

/** The foreign article closest to the centroid (earliest on a tie); `centroid` is zeroed scratch, left zeroed. */
function representativeTitle(group: Group, articles: ClusterArticle[], { start, terms, weights }: TermTable, centroid: Float64Array): string {
  for (const m of group.members) for (let j = start[m]!; j < start[m + 1]!; j++) centroid[terms[j]!] = centroid[terms[j]!]! + weights[j]!;
  const foreign = group.members.filter((m) => !articles[m]!.isReference);
  const pool = foreign.length > 0 ? foreign : group.members;
  const norm = Math.sqrt(group.normSq) || 1;
  let best = articles[pool[0]!]!;
  let bestScore = -Infinity;
  for (const m of pool) {
    let dot = 0;
    for (let j = start[m]!; j < start[m + 1]!; j++) dot += weights[j]! * centroid[terms[j]!]!;
    const score = dot / norm;
    const earlier = articles[m]!.publishedAt.getTime() < best.publishedAt.getTime();
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && earlier)) [best, bestScore] = [articles[m]!, score];
  }
  for (const m of group.members) for (let j = start[m]!; j < start[m + 1]!; j++) centroid[terms[j]!] = 0;
  return best.title;
}
