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
import { dot, inverseDocumentFrequency, termCounts, weigh, type Vector } from "./text-vectors";

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

interface Member {
  index: number;
  article: ClusterArticle;
  vector: Vector;
  group: Group;
}

interface Group {
  index: number;
  storyId: number | null;
  /** Sum of the members' unit vectors (the centroid, unnormalised) and its squared length. */
  sum: Vector;
  normSq: number;
  first: number;
  last: number;
  members: Member[];
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
  const members: Member[] = [];
  const byStory = new Map<number, Group>();
  /** term → [member index, weight, member index, weight, …]: only articles sharing a word are compared. */
  const postings = new Map<string, number[]>();

  const addTo = (group: Group, article: ClusterArticle, vector: Vector, dotWithSum: number) => {
    const member: Member = { index: members.length, article, vector, group };
    members.push(member);
    for (const [term, w] of vector) {
      group.sum.set(term, (group.sum.get(term) ?? 0) + w);
      let list = postings.get(term);
      if (!list) postings.set(term, (list = []));
      list.push(member.index, w);
    }
    group.normSq += 2 * dotWithSum + (vector.size > 0 ? 1 : 0);
    const t = article.publishedAt.getTime();
    group.first = Math.min(group.first, t);
    group.last = Math.max(group.last, t);
    group.members.push(member);
  };
  const newGroup = (storyId: number | null, t: number): Group => {
    const g: Group = { index: groups.length, storyId, sum: new Map(), normSq: 0, first: t, last: t, members: [], added: [] };
    groups.push(g);
    return g;
  };

  for (const a of articles) {
    if (a.storyId === null) continue;
    let g = byStory.get(a.storyId);
    if (!g) byStory.set(a.storyId, (g = newGroup(a.storyId, a.publishedAt.getTime())));
    const v = vectors.get(a.id)!;
    addTo(g, a, v, dot(v, g.sum));
  }

  const pending = articles
    .filter((a) => a.storyId === null)
    .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id - b.id);
  // Scratch space reused for every article: dot product per member, then sum and best per story.
  const memberDot = new Float64Array(articles.length);
  const groupSum = new Float64Array(articles.length);
  const groupBest = new Float64Array(articles.length);
  const touchedMembers: number[] = [];
  const touchedGroups: number[] = [];
  for (const a of pending) {
    const v = vectors.get(a.id)!;
    const t = a.publishedAt.getTime();
    for (const [term, w] of v) {
      const list = postings.get(term);
      if (!list) continue;
      for (let k = 0; k < list.length; k += 2) {
        const m = list[k]!;
        if (memberDot[m] === 0) touchedMembers.push(m);
        memberDot[m] = memberDot[m]! + w * list[k + 1]!;
      }
    }
    // A story's centroid dot is the sum of its members' dots.
    for (const m of touchedMembers) {
      const g = members[m]!.group.index;
      if (groupSum[g] === 0) touchedGroups.push(g);
      groupSum[g] = groupSum[g]! + memberDot[m]!;
      if (memberDot[m]! > groupBest[g]!) groupBest[g] = memberDot[m]!;
      memberDot[m] = 0;
    }
    touchedMembers.length = 0;
    let best: Group | null = null;
    let bestScore = -1;
    let bestDot = 0;
    for (const gi of touchedGroups) {
      const g = groups[gi]!;
      const sum = groupSum[gi]!;
      const score = Math.max(sum / Math.sqrt(g.normSq), groupBest[gi]!);
      groupSum[gi] = 0;
      groupBest[gi] = 0;
      if (t < g.first - windowMs || t > g.last + windowMs || g.normSq <= 0) continue;
      if (score > bestScore) [best, bestScore, bestDot] = [g, score, sum];
    }
    touchedGroups.length = 0;
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
