import { describe, expect, it } from "vitest";
import { SAME_STORY_THRESHOLD, planClusters, type ClusterArticle } from "../src/stories/cluster";
import { pairwiseSimilarity, stem, tokenize } from "../src/stories/text-vectors";
import { storyCorpus } from "./fixtures/story-corpus";
import { loadSampleFeed, sampleSources } from "../src/feeds/sample-feeds";
import { loadSampleTranslator } from "../src/translate/sample-translator";

const start = Date.parse("2025-03-18T00:00:00Z");
const at = (hour: number) => new Date(start + hour * 3_600_000);

function corpusArticles(): ClusterArticle[] {
  return storyCorpus.map((a, i) => ({
    id: i + 1,
    title: a.title,
    summary: a.summary,
    publishedAt: at(a.hour),
    isReference: a.reference ?? false,
    storyId: null,
  }));
}

/** Groups of event labels, one per planned story. */
function eventsOf(plans: ReturnType<typeof planClusters>): string[][] {
  return plans.map((p) => p.addArticleIds.map((id) => storyCorpus[id - 1]!.event));
}

describe("text vectors", () => {
  it("meets inflections of one word in one stem", () => {
    expect(new Set(["raises", "raised", "raising", "raise"].map(stem)).size).toBe(1);
    expect(stem("parties")).toBe(stem("party"));
    expect(stem("elections")).toBe(stem("election"));
  });

  it("drops stop-words and headline filler, keeps names and numbers", () => {
    expect(tokenize("Officials say the Bank of Japan raised rates in 2024")).toEqual(["official", "bank", "japan", "rais", "rat", "2024"]);
  });

  it("splits untranslated CJK text into character pairs so it can still match itself", () => {
    const [a, b] = [tokenize("東京で大雨"), tokenize("東京 大雨 続く")];
    expect(a.filter((t) => b.includes(t))).toEqual(expect.arrayContaining(["東京", "大雨"]));
  });

  it("scores reworded reports of one event above unrelated reports of the same day", () => {
    const sims = pairwiseSimilarity(storyCorpus);
    const boj = [0, 1, 2, 3];
    const toyota = storyCorpus.findIndex((a) => a.event === "toyota");
    for (const i of boj) for (const j of boj) if (i !== j) expect(sims[i]![j]!).toBeGreaterThan(0.2);
    for (const i of boj) expect(sims[i]![toyota]!).toBeLessThan(0.1);
  });
});

describe("clustering the hand-made corpus", () => {
  it("groups each event into exactly one story and keeps every distractor apart", () => {
    const groups = eventsOf(planClusters(corpusArticles()));
    for (const group of groups) expect(new Set(group).size).toBe(1);
    const events = new Set(storyCorpus.map((a) => a.event));
    expect(groups).toHaveLength(events.size);
  });

  it("is exact across the documented band of thresholds, and wrong outside it", () => {
    const exact = (threshold: number) => {
      const groups = eventsOf(planClusters(corpusArticles(), { threshold }));
      return groups.every((g) => new Set(g).size === 1) && groups.length === new Set(storyCorpus.map((a) => a.event)).size;
    };
    expect([0.15, 0.18, SAME_STORY_THRESHOLD].map(exact)).toEqual([true, true, true]);
    expect(exact(0.1)).toBe(false);
    expect(exact(0.25)).toBe(false);
  });

  it("puts the same event reported in three countries in one story", () => {
    const plans = planClusters(corpusArticles());
    const kenya = plans.find((p) => p.addArticleIds.some((id) => storyCorpus[id - 1]!.event === "kenya"))!;
    expect(new Set(kenya.addArticleIds.map((id) => storyCorpus[id - 1]!.country))).toEqual(new Set(["KE", "ZA", "NG"]));
  });

  it("titles a story after its most central foreign article", () => {
    const plans = planClusters(corpusArticles());
    const boj = plans.find((p) => p.addArticleIds.includes(1))!;
    expect(boj.title).toMatch(/Japan|BOJ/);
    expect(boj.storyId).toBeNull();
  });
});

describe("clustering the offline sample feeds (written independently of this code)", () => {
  async function sampleArticles(): Promise<Array<ClusterArticle & { country: string }>> {
    const translator = loadSampleTranslator();
    const now = new Date("2025-03-18T12:00:00Z");
    const out: Array<ClusterArticle & { country: string }> = [];
    for (const source of sampleSources()) {
      for (const item of await loadSampleFeed(source.slug, now)) {
        const [title, summary] = item.language === "en" ? [item.title, item.summary] : await translator.translate([item.title, item.summary], item.language);
        out.push({ id: out.length + 1, title: title!, summary: summary!, publishedAt: item.published, isReference: source.isReference, storyId: null, country: source.country });
      }
    }
    return out;
  }

  it("finds the four multi-country events and keeps the look-alikes apart", async () => {
    const articles = await sampleArticles();
    const plans = planClusters(articles);
    const multi = plans.filter((p) => p.addArticleIds.length > 1);
    const countriesOf = (p: (typeof plans)[number]) => [...new Set(p.addArticleIds.map((id) => articles[id - 1]!.country))].sort();
    expect(multi.map((p) => [p.title.match(/earthquake|Danube|cod|coffee/i)?.[0]?.toLowerCase(), p.addArticleIds.length]).sort()).toEqual([
      ["cod", 4],
      ["coffee", 3],
      ["danube", 4],
      ["earthquake", 5],
    ]);
    const quake = multi.find((p) => /earthquake/i.test(p.title))!;
    expect(countriesOf(quake)).toEqual(["JP", "KR", "TW", "US"]);
    // Below the threshold's band, two different metro openings would merge.
    expect(planClusters(articles, { threshold: 0.18 }).filter((p) => p.addArticleIds.length > 1).length).toBeGreaterThan(4);
  });
});

describe("incremental clustering", () => {
  const base = (over: Partial<ClusterArticle> & { id: number; title: string }): ClusterArticle => ({
    summary: "",
    publishedAt: at(0),
    isReference: false,
    storyId: null,
    ...over,
  });

  it("adds a new article to the existing story it matches", () => {
    const plans = planClusters([
      base({ id: 1, storyId: 7, title: "Magnitude 7.4 earthquake strikes Hualien in eastern Taiwan" }),
      base({ id: 2, storyId: 8, title: "TSMC profit beats forecasts on AI chip demand" }),
      base({ id: 3, publishedAt: at(5), title: "Hualien earthquake: rescuers search collapsed buildings in Taiwan" }),
    ]);
    expect(plans).toEqual([{ storyId: 7, addArticleIds: [3], title: "Magnitude 7.4 earthquake strikes Hualien in eastern Taiwan" }]);
  });

  it("starts a new story for an unrelated article, and never touches stories that gain nothing", () => {
    const plans = planClusters([
      base({ id: 1, storyId: 7, title: "Magnitude 7.4 earthquake strikes Hualien in eastern Taiwan" }),
      base({ id: 2, title: "Kenyan runners sweep the Boston marathon podium" }),
    ]);
    expect(plans).toEqual([{ storyId: null, addArticleIds: [2], title: "Kenyan runners sweep the Boston marathon podium" }]);
  });

  it("does not join a story whose articles are more than 48 hours away", () => {
    const plans = planClusters([
      base({ id: 1, storyId: 7, publishedAt: at(0), title: "Magnitude 7.4 earthquake strikes Hualien in eastern Taiwan" }),
      base({ id: 2, publishedAt: at(60), title: "Magnitude 7.4 earthquake strikes Hualien in eastern Taiwan" }),
    ]);
    expect(plans).toEqual([expect.objectContaining({ storyId: null, addArticleIds: [2] })]);
  });

  it("lets a US reference article join the foreign story it covers, keeping a foreign title", () => {
    const plans = planClusters([
      base({ id: 1, storyId: 3, title: "Slovak prime minister Robert Fico shot in Handlová" }),
      base({ id: 2, isReference: true, publishedAt: at(2), title: "Robert Fico, Slovakia's prime minister, shot in Handlova" }),
    ]);
    expect(plans).toEqual([{ storyId: 3, addArticleIds: [2], title: "Slovak prime minister Robert Fico shot in Handlová" }]);
  });

  it("gives the same plan whatever order the articles come in", () => {
    const articles = corpusArticles();
    const reversed = [...articles].reverse();
    const norm = (p: ReturnType<typeof planClusters>) => p.map((s) => [...s.addArticleIds].sort((a, b) => a - b).join(",")).sort();
    expect(norm(planClusters(reversed))).toEqual(norm(planClusters(articles)));
  });

  it("copes with empty and wordless articles", () => {
    expect(planClusters([])).toEqual([]);
    const plans = planClusters([base({ id: 1, title: "!!!" }), base({ id: 2, title: "..." })]);
    expect(plans).toHaveLength(2);
  });
});
