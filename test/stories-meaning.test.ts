// The optional meaning measure in story grouping (same-story.ts): with no vectors the stories are exactly
// the lexical ones; with vectors a pair the words keep apart can be joined, and a look-alike the words join
// can be split. Pure; hand-made vectors (what a model would say is given, not measured).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCorpus } from "../src/editorial/corpus";
import { corpusArticles } from "../src/editorial/fit";
import { profileArticle } from "../src/stories/article-profile";
import { groupArticles, type ClusterArticle } from "../src/stories/cluster";
import { GroupingWindow } from "../src/stories/same-story";

const start = Date.parse("2026-03-18T00:00:00Z");
const MEANING = { weight: 6, midpoint: 0.6 };
const unit = (...x: number[]) => Float32Array.from(x, (v) => v / Math.hypot(...x));

function article(id: number, title: string, summary: string, country: string, hour: number, embedding?: Float32Array): ClusterArticle {
  return { id, title, summary, country, publishedAt: new Date(start + hour * 3_600_000), isReference: false, storyId: null, ...(embedding ? { embedding } : {}) };
}

function partition(articles: readonly ClusterArticle[], meaning = true): string[] {
  return groupArticles(articles, meaning ? { meaning: MEANING } : {}).groups.map((g) => g.map((i) => articles[i]!.id).sort((a, b) => a - b).join(",")).sort();
}

// Same event, few words in common, outlets from two countries naming none: the words keep them apart.
const quake = (vectors: boolean) => [
  article(1, "Buildings damaged in Esmeraldas as the ground shakes for a minute", "Residents ran into the streets in the night after the quake.", "FR", 0, vectors ? unit(1, 0, 0) : undefined),
  article(2, "Esmeraldas: rescuers search the rubble after the tremor", "A magnitude 6.8 quake struck the coastal province.", "DE", 1, vectors ? unit(0.95, 0.3, 0) : undefined),
];
// Two events told in the same words (protest and football crowds): the words join them.
const tearGas = (vectors: boolean) => [
  article(3, "Tear gas fired at protesters in Nairobi", "Police dispersed crowds marching against the finance bill.", "KE", 0, vectors ? unit(0, 1, 0) : undefined),
  article(4, "Tear gas fired at football fans in Nairobi", "Police dispersed crowds outside the stadium after the derby.", "KE", 20, vectors ? unit(0, 0, 1) : undefined),
];

describe("meaning similarity in story grouping", () => {
  it("joins a same-event pair the words keep apart, and splits a look-alike the words join, as the vectors say", () => {
    expect(partition([...quake(false), ...tearGas(false)])).toEqual(["1", "2", "3,4"]);
    expect(partition([...quake(true), ...tearGas(true)])).toEqual(["1,2", "3", "4"]);
    // The measure is off unless asked for, whatever vectors the articles carry.
    expect(partition([...quake(true), ...tearGas(true)], false)).toEqual(["1", "2", "3,4"]);
  });

  it("adds nothing for a pair where one article has no vector, or vectors of different lengths", () => {
    const [a, b] = quake(true);
    expect(partition([a!, { ...b!, embedding: null }, ...tearGas(false)])).toEqual(["1", "2", "3,4"]);
    expect(partition([a!, { ...b!, embedding: unit(1, 0, 0, 0) }, ...tearGas(false)])).toEqual(["1", "2", "3,4"]);
  });

  it("without vectors, every pair's probability is bit for bit the lexical one", () => {
    const articles = [...quake(false), ...tearGas(false)];
    const profiles = articles.map(profileArticle);
    const lexical = new GroupingWindow(profiles);
    const meaningOn = new GroupingWindow(profiles, { ...MEANING, vectors: articles.map(() => null) });
    for (let i = 0; i < articles.length; i++) {
      for (let j = i + 1; j < articles.length; j++) expect(Object.is(meaningOn.probability(i, j), lexical.probability(i, j))).toBe(true);
    }
  });

  it("without vectors, the small example corpus groups exactly as before (meaning on or off)", () => {
    const parsed = parseCorpus(JSON.parse(readFileSync(new URL("./fixtures/editorial/small-example.json", import.meta.url), "utf8")));
    if (!parsed.ok) throw new Error(parsed.problem);
    const articles = corpusArticles(parsed.corpus);
    const off = groupArticles(articles);
    const on = groupArticles(articles.map((a) => ({ ...a, embedding: null })), { meaning: MEANING });
    expect(on).toEqual(off);
    expect(off.groups.length).toBeGreaterThan(1);
  });
});
