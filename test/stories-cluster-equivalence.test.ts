// The pruned clustering (src/stories/cluster.ts) must give exactly the plans of the full comparison it
// replaced (test/fixtures/cluster-reference.ts): same stories, same articles in each, same titles — on the
// hand-made corpus, the sample feeds, generated corpora like the benchmark's, and random small ones.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planClusters, type ClusterArticle, type ClusterOptions } from "../src/stories/cluster";
import { loadSampleFeed, sampleSources } from "../src/feeds/sample-feeds";
import { loadSampleTranslator } from "../src/translate/sample-translator";
import { planClustersReference } from "./fixtures/cluster-reference";
import { storyCorpus } from "./fixtures/story-corpus";

const start = Date.parse("2025-03-18T00:00:00Z");
const HOUR = 3_600_000;
const THRESHOLDS = [0, 0.05, 0.12, 0.18, 0.22, 0.3, 0.5, 0.9];

function expectSamePlans(articles: ClusterArticle[], options: ClusterOptions = {}): void {
  expect(planClusters(articles, options)).toEqual(planClustersReference(articles, options));
}

function mulberry(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Like bench/ingest.ts's corpus: events (a place and four names) reported by several outlets with
 * shuffled words and the day's common words; plus exact duplicates (equal scores), wordless and
 * accented or CJK articles, US reference articles, spread over `hours`.
 */
function generatedCorpus(seed: number, size: number, hours: number): ClusterArticle[] {
  const rand = mulberry(seed);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const syllables = ["ka", "lo", "mi", "ra", "ten", "vo", "su", "del", "an", "ber", "ko", "zi", "mar", "pu", "nel", "ta"];
  const word = () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => pick(syllables)).join("");
  const names = Array.from({ length: size * 2 }, word);
  const places = [...Array.from({ length: 30 }, word), "São Paulo", "Zürich", "東京都", "大阪"];
  const common = "government minister police court election bank prices protest talks deal storm floods strike market city council".split(" ");
  const events = Array.from({ length: Math.ceil(size / 6) }, () => ({
    words: [pick(places), ...Array.from({ length: 4 }, () => pick(names))],
    topic: pick(common),
    hour: rand() * hours,
  }));
  const articles: ClusterArticle[] = [];
  for (let id = 1; id <= size; id++) {
    const e = pick(events);
    const roll = rand();
    const previous = articles[Math.floor(rand() * articles.length)];
    const [title, summary] =
      roll < 0.03 && previous
        ? [previous.title, previous.summary]
        : roll < 0.05
          ? [pick(["", "!!!", "…", "the and of"]), ""]
          : [
              [...e.words.slice(0, 2 + Math.floor(rand() * 3)).sort(() => rand() - 0.5), e.topic, pick(common)].join(" "),
              [...e.words.slice(1), pick(names), pick(common), e.topic].filter(() => rand() < 0.8).join(" "),
            ];
    const hour = Math.max(0, Math.min(hours, e.hour + (rand() - 0.5) * 30));
    articles.push({ id, title, summary, publishedAt: new Date(start + Math.round(hour * 60) * 60_000), isReference: rand() < 0.1, storyId: null });
  }
  return articles;
}

/** The older part of `articles` already placed (by the reference), the rest to place. */
function halfClustered(articles: ClusterArticle[], share: number, options: ClusterOptions = {}): ClusterArticle[] {
  const byTime = [...articles].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.id - b.id);
  const older = byTime.slice(0, Math.floor(byTime.length * share));
  const storyOf = new Map<number, number>();
  planClustersReference(older, options).forEach((plan, i) => plan.addArticleIds.forEach((id) => storyOf.set(id, 100 + i)));
  return articles.map((a) => ({ ...a, storyId: storyOf.get(a.id) ?? null }));
}

describe("pruned clustering gives the full comparison's plans", () => {
  it("on the hand-made corpus, at every threshold", () => {
    const articles = storyCorpus.map((a, i) => ({
      id: i + 1,
      title: a.title,
      summary: a.summary,
      publishedAt: new Date(start + a.hour * HOUR),
      isReference: a.reference ?? false,
      storyId: null,
    }));
    for (const threshold of THRESHOLDS) expectSamePlans(articles, { threshold });
  });

  it("on the offline sample feeds, at every threshold, and with their older half already placed", async () => {
    const translator = loadSampleTranslator();
    const now = new Date("2025-03-18T12:00:00Z");
    const articles: ClusterArticle[] = [];
    for (const source of sampleSources()) {
      for (const item of await loadSampleFeed(source.slug, now)) {
        const [title, summary] = item.language === "en" ? [item.title, item.summary] : await translator.translate([item.title, item.summary], item.language);
        articles.push({ id: articles.length + 1, title: title!, summary: summary!, publishedAt: item.published, isReference: source.isReference, storyId: null });
      }
    }
    for (const threshold of THRESHOLDS) expectSamePlans(articles, { threshold });
    expectSamePlans(halfClustered(articles, 0.5));
  });

  it("on generated corpora of 2,000 articles over four days, with 12- and 48-hour windows", () => {
    for (const seed of [1, 2, 3]) {
      const articles = generatedCorpus(seed, 2000, 96);
      for (const threshold of [0.12, 0.22, 0.35]) expectSamePlans(articles, { threshold });
      expectSamePlans(articles, { windowHours: 12 });
    }
  });

  it("on generated corpora whose older part is already in stories", () => {
    for (const seed of [4, 5]) {
      const articles = generatedCorpus(seed, 2000, 72);
      expectSamePlans(halfClustered(articles, 0.6));
      expectSamePlans(halfClustered(articles, 0.95), { threshold: 0.15 });
    }
  });

  it("on random small corpora from a small vocabulary (many ties), any threshold and window", () => {
    const words = ["quake", "quakes", "taiwan", "hualien", "rescue", "bank", "rates", "rate", "fico", "shot", "東京", "zürich"];
    const text = (max: number) => fc.array(fc.constantFrom(...words), { maxLength: max }).map((w) => w.join(" "));
    const article = fc.record({
      title: text(5),
      summary: text(8),
      hour: fc.integer({ min: 0, max: 100 }),
      isReference: fc.boolean(),
      storyId: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null, freq: 2 }),
    });
    fc.assert(
      fc.property(
        fc.array(article, { maxLength: 40 }),
        fc.constantFrom(...THRESHOLDS),
        fc.constantFrom(1, 24, 48),
        (list, threshold, windowHours) => {
          const articles = list.map((a, i) => ({ ...a, id: i + 1, publishedAt: new Date(start + a.hour * HOUR) }));
          expectSamePlans(articles, { threshold, windowHours });
        },
      ),
      { numRuns: 400 },
    );
  });
});
