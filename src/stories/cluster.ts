// Groups articles about the same event into stories. Pure: articles in, a plan out (which story each new
// article joins, and each touched story's title); the caller stores it.
//
// Method (transparent on purpose): each article is a TF-IDF vector of its English title (counted twice)
// and summary, IDF taken over every article in the window. A story is the sum of its articles' unit
// vectors (its centroid). Articles are taken in order of publication; each joins the open story whose
// centroid it is most similar to (cosine), if that similarity reaches SAME_STORY_THRESHOLD and the story
// has an article within WINDOW_HOURS of it; otherwise it starts a new story. US reference articles are
// clustered the same way, which is how a foreign story learns that US outlets covered it.
import { dot, inverseDocumentFrequency, termCounts, weigh, type Vector } from "./text-vectors";

/**
 * Cosine similarity (article to story centroid) at or above which an article joins a story. Calibrated
 * on the hand-made corpus in test/fixtures/story-corpus.ts (6 events × 3–4 outlets, 7 same-day
 * distractors): every threshold from 0.15 to 0.20 groups it exactly; at 0.12 "Prime minister calls
 * general election" joins the Fico shooting, at 0.25 one earthquake report splits off. 0.18 sits inside
 * that band; test/stories-cluster.test.ts checks the grouping at this value.
 */
export const SAME_STORY_THRESHOLD = 0.18;
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
  sum: Vector;
  normSq: number;
  first: number;
  last: number;
  members: Array<{ article: ClusterArticle; vector: Vector }>;
  added: number[];
}

/**
 * `articles`: the recent window, both already-clustered articles (storyId set) and the ones to place
 * (storyId null). Returns a plan for every story that gains articles.
 */
export function planClusters(articles: ClusterArticle[], options: ClusterOptions = {}): StoryPlan[] {
  const threshold = options.threshold ?? SAME_STORY_THRESHOLD;
  const windowMs = (options.windowHours ?? WINDOW_HOURS) * 3_600_000;
  const counts = articles.map((a) => termCounts(a.title, a.summary));
  const idf = inverseDocumentFrequency(counts);
  const vectors = new Map(articles.map((a, i) => [a.id, weigh(counts[i]!, idf)]));

  const groups: Group[] = [];
  const byStory = new Map<number, Group>();
  /** term → groups whose centroid has that term: only stories sharing a word are ever compared. */
  const postings = new Map<string, Set<Group>>();

  const addTo = (group: Group, article: ClusterArticle, vector: Vector, dotWithSum: number) => {
    for (const [term, w] of vector) {
      group.sum.set(term, (group.sum.get(term) ?? 0) + w);
      let set = postings.get(term);
      if (!set) postings.set(term, (set = new Set()));
      set.add(group);
    }
    group.normSq += 2 * dotWithSum + (vector.size > 0 ? 1 : 0);
    const t = article.publishedAt.getTime();
    group.first = Math.min(group.first, t);
    group.last = Math.max(group.last, t);
    group.members.push({ article, vector });
  };
  const newGroup = (storyId: number | null, t: number): Group => {
    const g: Group = { storyId, sum: new Map(), normSq: 0, first: t, last: t, members: [], added: [] };
    groups.push(g);
    return g;
  };

  const placed = articles.filter((a) => a.storyId !== null);
  for (const a of placed) {
    let g = byStory.get(a.storyId!);
    if (!g) byStory.set(a.storyId!, (g = newGroup(a.storyId, a.publishedAt.getTime())));
    const v = vectors.get(a.id)!;
    addTo(g, a, v, dot(v, g.sum));
  }

  const pending = articles
    .filter((a) => a.storyId === null)
    .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id - b.id);
  for (const a of pending) {
    const v = vectors.get(a.id)!;
    const t = a.publishedAt.getTime();
    const dots = new Map<Group, number>();
    for (const [term, w] of v) {
      for (const g of postings.get(term) ?? []) dots.set(g, (dots.get(g) ?? 0) + w * g.sum.get(term)!);
    }
    let best: Group | null = null;
    let bestScore = -1;
    let bestDot = 0;
    for (const [g, d] of dots) {
      if (t < g.first - windowMs || t > g.last + windowMs || g.normSq <= 0) continue;
      const score = d / Math.sqrt(g.normSq);
      if (score > bestScore) [best, bestScore, bestDot] = [g, score, d];
    }
    if (best && bestScore >= threshold) {
      addTo(best, a, v, bestDot);
      best.added.push(a.id);
    } else {
      const g = newGroup(null, t);
      addTo(g, a, v, 0);
      g.added.push(a.id);
    }
  }

  return groups
    .filter((g) => g.added.length > 0)
    .map((g) => ({ storyId: g.storyId, addArticleIds: g.added, title: representativeTitle(g) }));
}

function representativeTitle(group: Group): string {
  const foreign = group.members.filter((m) => !m.article.isReference);
  const pool = foreign.length > 0 ? foreign : group.members;
  const norm = Math.sqrt(group.normSq) || 1;
  let best = pool[0]!;
  let bestScore = -Infinity;
  for (const m of pool) {
    const score = dot(m.vector, group.sum) / norm;
    const earlier = m.article.publishedAt.getTime() < best.article.publishedAt.getTime();
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && earlier)) [best, bestScore] = [m, score];
  }
  return best.article.title;
}
