// Scores a system's stories against a labelled corpus, as shared/editorial/README.md defines it: pairwise
// precision/recall/F1 over foreign articles, look-alike pairs joined, "overlooked" right per gold story,
// US-only articles joined, US attachment; and the mistakes, worst first. Pure.
import type { Corpus, CorpusArticle, CorpusStory } from "./corpus";

/** One predicted story: the corpus ids of its articles (foreign and US). */
export type PredictedStory = string[];

export interface Mistake {
  kind: "joined" | "split" | "look-alike joined" | "overlooked wrong" | "US-only joined" | "US article misplaced";
  /** How many pairs (or stories) it costs; mistakes are listed by it. */
  weight: number;
  text: string;
}

export interface Scores {
  /** The predicted stories scored, foreign articles left ungrouped each a story of its own. */
  predicted: PredictedStory[];
  pairs: { tp: number; fp: number; fn: number; precision: number; recall: number; f1: number };
  nearMisses: { joined: number; total: number };
  overlooked: { right: number; total: number };
  usOnly: { joined: number; total: number };
  usAttached: { right: number; total: number };
  mistakes: Mistake[];
}

export function scoreStories(corpus: Corpus, predicted: PredictedStory[]): Scores {
  const article = new Map(corpus.articles.map((a) => [a.id, a]));
  const foreign = corpus.articles.filter((a) => !a.reference);
  const goldOf = new Map<string, CorpusStory>();
  for (const s of corpus.stories) for (const id of [...s.article_ids, ...s.us_article_ids]) goldOf.set(id, s);

  // Predicted story per article; a foreign article in no predicted story is a story of its own.
  const predOf = new Map<string, number>();
  predicted.forEach((story, i) => story.forEach((id) => predOf.set(id, i)));
  let next = predicted.length;
  for (const a of foreign) if (!predOf.has(a.id)) predOf.set(a.id, next++);
  const storyArticles = (p: number) => [...predOf].filter(([, q]) => q === p).map(([id]) => id);

  let tp = 0;
  let fp = 0;
  let fn = 0;
  const joined = new Map<string, number>();
  const split = new Map<string, number>();
  for (let i = 0; i < foreign.length; i++) {
    for (let j = i + 1; j < foreign.length; j++) {
      const [a, b] = [foreign[i]!, foreign[j]!];
      const gold = goldOf.get(a.id) === goldOf.get(b.id);
      const pred = predOf.get(a.id) === predOf.get(b.id);
      if (gold && pred) tp++;
      else if (pred) {
        fp++;
        const key = [goldOf.get(a.id)!.id, goldOf.get(b.id)!.id].sort().join("|");
        joined.set(key, (joined.get(key) ?? 0) + 1);
      } else if (gold) {
        fn++;
        split.set(goldOf.get(a.id)!.id, (split.get(goldOf.get(a.id)!.id) ?? 0) + 1);
      }
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);

  const isForeign = (id: string) => !article.get(id)!.reference;
  const together = (a: string, b: string) => {
    if (isForeign(a) && isForeign(b)) return predOf.get(a) === predOf.get(b);
    const [f, us] = isForeign(a) ? [a, b] : [b, a];
    return isForeign(f) && predOf.has(us) && predOf.get(us) === predOf.get(f);
  };
  const mistakes: Mistake[] = [];
  const label = (id: string) => `${id} (${article.get(id)!.country}) "${article.get(id)!.title}"`;
  const storyLabel = (s: CorpusStory) => `${s.id} (${s.note.split(/[;:]/)[0]!.slice(0, 90)})`;

  let nearJoined = 0;
  for (const n of corpus.near_misses) {
    if (!together(n.a, n.b)) continue;
    nearJoined++;
    mistakes.push({ kind: "look-alike joined", weight: 3, text: `${label(n.a)} with ${label(n.b)}: ${n.why}` });
  }

  // The predicted story holding most of a gold story's foreign articles (ties: the earliest article's).
  const mainStory = (ids: string[]): number => {
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(predOf.get(id)!, (counts.get(predOf.get(id)!) ?? 0) + 1);
    const most = Math.max(...counts.values());
    const earliest = [...ids]
      .filter((id) => counts.get(predOf.get(id)!) === most)
      .sort((x, y) => article.get(x)!.published.localeCompare(article.get(y)!.published))[0]!;
    return predOf.get(earliest)!;
  };
  const usIn = (p: number) => storyArticles(p).filter((id) => !isForeign(id));
  let overlookedRight = 0;
  let usRight = 0;
  let usTotal = 0;
  for (const s of corpus.stories) {
    const p = mainStory(s.article_ids);
    const attached = usIn(p);
    const covered = attached.length > 0;
    if (covered === !s.overlooked) overlookedRight++;
    else {
      const why = covered
        ? `called covered because of ${attached.map((id) => `${id} "${article.get(id)!.title}"`).join(", ")}`
        : `called overlooked; US coverage missed: ${s.us_article_ids.map((id) => `${id} "${article.get(id)!.title}"`).join(", ")}`;
      mistakes.push({ kind: "overlooked wrong", weight: 3, text: `${storyLabel(s)}: ${why}` });
    }
    for (const id of s.us_article_ids) {
      usTotal++;
      if (predOf.get(id) === p) usRight++;
      else mistakes.push({ kind: "US article misplaced", weight: 1, text: `${label(id)} not attached to ${storyLabel(s)}` });
    }
  }

  let usOnlyJoined = 0;
  for (const id of corpus.us_only) {
    const p = predOf.get(id);
    if (p === undefined || !storyArticles(p).some(isForeign)) continue;
    usOnlyJoined++;
    const host = storyArticles(p).find(isForeign)!;
    mistakes.push({ kind: "US-only joined", weight: 3, text: `${label(id)} attached to the story of ${label(host)}` });
  }

  const goldById = new Map(corpus.stories.map((s) => [s.id, s]));
  for (const [key, pairs] of joined) {
    const [a, b] = key.split("|").map((id) => goldById.get(id)!);
    mistakes.push({ kind: "joined", weight: pairs, text: `${storyLabel(a!)} with ${storyLabel(b!)} (${pairs} wrong pair${pairs === 1 ? "" : "s"})` });
  }
  for (const [id, pairs] of split) {
    const s = goldById.get(id)!;
    const parts = new Map<number, string[]>();
    for (const a of s.article_ids) parts.set(predOf.get(a)!, [...(parts.get(predOf.get(a)!) ?? []), a]);
    const shown = [...parts.values()].map((ids) => `[${ids.join(" ")}]`).join(" ");
    mistakes.push({ kind: "split", weight: pairs, text: `${storyLabel(s)} in ${parts.size} parts: ${shown} (${pairs} pair${pairs === 1 ? "" : "s"} missed)` });
  }
  mistakes.sort((x, y) => y.weight - x.weight || x.kind.localeCompare(y.kind) || x.text.localeCompare(y.text));

  const byStory = new Map<number, string[]>();
  for (const [id, p] of predOf) byStory.set(p, [...(byStory.get(p) ?? []), id]);
  return {
    predicted: [...byStory.values()],
    pairs: { tp, fp, fn, precision, recall, f1 },
    nearMisses: { joined: nearJoined, total: corpus.near_misses.length },
    overlooked: { right: overlookedRight, total: corpus.stories.length },
    usOnly: { joined: usOnlyJoined, total: corpus.us_only.length },
    usAttached: { right: usRight, total: usTotal },
    mistakes,
  };
}

export type { CorpusArticle };
