// Fitting the same-story weights to labelled pairs, and grouping a corpus in memory with given weights
// (for cross-validation). Pure.
import { candidatePairs, groupArticles, WINDOW_HOURS, type ClusterArticle, type ClusterOptions } from "../stories/cluster";
import { profileArticle } from "../stories/article-profile";
import { FEATURES, GroupingWindow, type Weights } from "../stories/same-story";
import type { Corpus } from "./corpus";
import { scoreStories, type Scores } from "./score";

export interface LabelledPairs {
  x: number[][];
  y: number[];
}

/** The corpus's articles as the grouping sees them, in publication order. */
export function corpusArticles(corpus: Corpus): ClusterArticle[] {
  return [...corpus.articles]
    .sort((a, b) => a.published.localeCompare(b.published))
    .map((a, i) => ({ id: i, title: a.title, summary: a.summary, country: a.country, publishedAt: new Date(a.published), isReference: a.reference, storyId: null }));
}

/**
 * Every pair the grouping compares (text cosine at least MIN_TEXT_COSINE, within the window, not both
 * US), with its measures and whether the labels put the two in one story.
 */
export function labelledPairs(corpus: Corpus): LabelledPairs {
  const sorted = [...corpus.articles].sort((a, b) => a.published.localeCompare(b.published));
  const articles = corpusArticles(corpus);
  const window = new GroupingWindow(articles.map(profileArticle));
  const story = new Map<string, string>();
  for (const s of corpus.stories) for (const id of [...s.article_ids, ...s.us_article_ids]) story.set(id, s.id);
  const out: LabelledPairs = { x: [], y: [] };
  const candidates = candidatePairs(window);
  for (let k = 0; k < candidates.length; k++) {
    const [i, j, cos] = [candidates.a[k]!, candidates.b[k]!, candidates.cos[k]!];
    if (articles[i]!.isReference && articles[j]!.isReference) continue;
    if (Math.abs(articles[i]!.publishedAt.getTime() - articles[j]!.publishedAt.getTime()) > WINDOW_HOURS * 3_600_000) continue;
    const [a, b] = [story.get(sorted[i]!.id), story.get(sorted[j]!.id)];
    out.x.push(window.features(i, j, cos));
    out.y.push(a !== undefined && a === b ? 1 : 0);
  }
  return out;
}

/** L2-regularised logistic regression by Newton's method (the bias is not regularised). */
export function fitWeights(pairs: LabelledPairs, l2 = 1): Weights {
  const d = FEATURES.length + 1;
  let w = new Array<number>(d).fill(0);
  for (let iteration = 0; iteration < 50; iteration++) {
    const gradient = new Array<number>(d).fill(0);
    const hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    pairs.x.forEach((features, n) => {
      const x = [...features, 1];
      const p = 1 / (1 + Math.exp(-x.reduce((s, v, k) => s + v * w[k]!, 0)));
      for (let k = 0; k < d; k++) {
        gradient[k]! += (p - pairs.y[n]!) * x[k]!;
        for (let m = 0; m < d; m++) hessian[k]![m]! += p * (1 - p) * x[k]! * x[m]!;
      }
    });
    for (let k = 0; k < d - 1; k++) {
      gradient[k]! += l2 * w[k]!;
      hessian[k]![k]! += l2;
    }
    const step = solve(hessian, gradient);
    w = w.map((v, k) => v - step[k]!);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  const weights = { bias: w[d - 1]! } as Record<string, number>;
  FEATURES.forEach((f, k) => (weights[f] = w[k]!));
  return weights as Weights;
}

function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const m = matrix.map((row, i) => [...row, vector[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[pivot]![c]!)) pivot = r;
    [m[c], m[pivot]] = [m[pivot]!, m[c]!];
    const v = m[c]![c]! || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / v;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / (row[i]! || 1e-12));
}

/** Groups a whole corpus at once, in memory, with `weights`, and scores it. */
export function groupAndScore(corpus: Corpus, options: ClusterOptions = {}): Scores {
  const sorted = [...corpus.articles].sort((a, b) => a.published.localeCompare(b.published));
  const { groups } = groupArticles(corpusArticles(corpus), options);
  return scoreStories(corpus, groups.map((g) => g.map((i) => sorted[i]!.id)));
}
