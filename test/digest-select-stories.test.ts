import { describe, expect, it } from "vitest";
import { rankStory, selectStories } from "../src/digest/select-stories";
import type { CandidateArticle, CandidateStory, SelectedStory } from "../src/digest/types";

const NOW = new Date("2026-05-11T07:00:00Z");
const SINCE = new Date("2026-05-10T07:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

let nextArticleId = 1;
function article(country: string, outlet: string, h: number, extra: Partial<CandidateArticle> = {}): CandidateArticle {
  const id = nextArticleId++;
  return {
    id,
    title: `${outlet} on it`,
    summary: "Two lines of summary.",
    url: `https://${outlet.toLowerCase().replace(/\W+/g, "")}.example/${id}`,
    outlet,
    country,
    language: "en",
    translated: false,
    originalTitle: `${outlet} on it`,
    publishedAt: hoursAgo(h),
    ...extra,
  };
}

function story(id: number, articles: CandidateArticle[], extra: Partial<CandidateStory> = {}): CandidateStory {
  const outlets = new Set(articles.map((a) => a.outlet));
  const countries = new Set(articles.map((a) => a.country));
  return {
    id,
    title: `Story ${id}`,
    overlookedScore: 1,
    overlookedReason: `${outlets.size} outlets in ${countries.size} countries; none of the US outlets we track`,
    outletCount: outlets.size,
    countryCount: countries.size,
    lastArticleAt: new Date(Math.max(...articles.map((a) => a.publishedAt.getTime()))),
    articles,
    ...extra,
  };
}

const base = { sentStoryIds: new Set<number>(), since: SINCE, now: NOW };
const picked = (r: ReturnType<typeof selectStories>): SelectedStory[] => {
  if (!("stories" in r)) throw new Error(`expected stories, got skip: ${r.skip}`);
  return r.stories;
};

describe("selectStories: what is eligible", () => {
  it("takes only stories with an article from the subscriber's countries since the previous edition", () => {
    const candidates = [
      story(1, [article("JP", "Asahi", 2)]),
      story(2, [article("FR", "Le Monde", 2)]), // not followed
      story(3, [article("JP", "NHK", 30)]), // before `since`
      story(4, [article("BR", "Folha", -1)]), // published after `now` (clock skew): next time
    ];
    const r = picked(selectStories({ ...base, countries: ["JP", "BR"], candidates }));
    expect(r.map((s) => s.id)).toEqual([1]);
  });

  it("never repeats a story already sent to the subscriber", () => {
    const candidates = [story(1, [article("JP", "Asahi", 2)]), story(2, [article("JP", "NHK", 3)])];
    const r = picked(selectStories({ ...base, sentStoryIds: new Set([1]), countries: ["JP"], candidates }));
    expect(r.map((s) => s.id)).toEqual([2]);
  });

  it("never shows a US reference article, even if one slips into the candidates", () => {
    const candidates = [
      story(1, [article("US", "NYT", 1)]),
      story(2, [article("JP", "Asahi", 2), article("US", "WaPo", 1), article("KR", "Yonhap", 1, { isReference: true })]),
    ];
    const r = picked(selectStories({ ...base, countries: ["JP", "US"], candidates }));
    expect(r.map((s) => s.id)).toEqual([2]);
    expect(r[0]!.alternatives).toEqual([]);
  });

  it("skips with a reason in words when nothing is new", () => {
    const r = selectStories({ ...base, countries: ["JP", "BR", "SK"], candidates: [story(1, [article("FR", "Le Monde", 1)])] });
    expect(r).toEqual({ skip: "no new stories from Japan, Brazil and Slovakia since 2026-05-10T07:00:00.000Z" });
  });

  it("says so when everything new was already sent", () => {
    const candidates = [story(1, [article("JP", "Asahi", 2)]), story(2, [article("JP", "NHK", 3)])];
    const r = selectStories({ ...base, sentStoryIds: new Set([1, 2]), countries: ["JP"], candidates });
    expect(r).toEqual({ skip: "the 2 new stories from Japan were already sent" });
  });

  it("skips a subscriber without countries", () => {
    expect(selectStories({ ...base, countries: [], candidates: [] })).toEqual({ skip: "no countries selected" });
  });

  it("rejects nonsense caps", () => {
    expect(() => selectStories({ ...base, countries: ["JP"], candidates: [], maxTotal: 0 })).toThrow(RangeError);
  });
});

describe("selectStories: ranking and caps", () => {
  it("ranks by overlooked score first", () => {
    const candidates = [
      story(1, [article("JP", "Asahi", 2)], { overlookedScore: 0.2 }),
      story(2, [article("JP", "NHK", 2)], { overlookedScore: 0.9 }),
      story(3, [article("JP", "Mainichi", 2)], { overlookedScore: 0.5 }),
    ];
    expect(picked(selectStories({ ...base, countries: ["JP"], candidates })).map((s) => s.id)).toEqual([2, 3, 1]);
  });

  it("breaks equal scores by breadth, then recency", () => {
    const broad = story(1, [article("JP", "Asahi", 5), article("KR", "Hankyoreh", 5), article("DE", "Spiegel", 5)]);
    const narrow = story(2, [article("JP", "NHK", 5)]);
    const fresh = story(3, [article("JP", "Mainichi", 1)]);
    const r = picked(selectStories({ ...base, countries: ["JP"], candidates: [narrow, fresh, broad] }));
    expect(r.map((s) => s.id)).toEqual([1, 3, 2]);
  });

  it("recency halves over a day for a daily reader, more slowly for a weekly one", () => {
    const s = story(1, [article("JP", "Asahi", 24)]);
    const fresh = rankStory(s, NOW.getTime(), SINCE, NOW);
    expect(rankStory(s, hoursAgo(24).getTime(), SINCE, NOW) / fresh).toBeCloseTo(0.5, 6);
    const weekAgo = new Date(NOW.getTime() - 7 * 86_400_000);
    expect(rankStory(s, hoursAgo(84).getTime(), weekAgo, NOW) / fresh).toBeCloseTo(0.5, 6);
  });

  it("caps stories per country and in total", () => {
    const candidates: CandidateStory[] = [];
    for (let i = 1; i <= 10; i++) candidates.push(story(i, [article("JP", `JP outlet ${i}`, i)]));
    for (let i = 11; i <= 20; i++) candidates.push(story(i, [article("BR", `BR outlet ${i}`, i - 10)]));
    const r = picked(selectStories({ ...base, countries: ["JP", "BR"], candidates, maxPerCountry: 3, maxTotal: 5 }));
    expect(r).toHaveLength(5);
    expect(r.filter((s) => s.country === "JP").length).toBeLessThanOrEqual(3);
    expect(r.filter((s) => s.country === "BR").length).toBeLessThanOrEqual(3);
    // The freshest of each country come first.
    expect(r.map((s) => s.id).slice(0, 2).sort()).toEqual([1, 11]);
  });

  it("is deterministic on ties", () => {
    const candidates = [story(7, [article("JP", "A", 3)]), story(5, [article("JP", "B", 3)])];
    const a = picked(selectStories({ ...base, countries: ["JP"], candidates }));
    const b = picked(selectStories({ ...base, countries: ["JP"], candidates: [...candidates].reverse() }));
    expect(a.map((s) => s.id)).toEqual([5, 7]);
    expect(b.map((s) => s.id)).toEqual([5, 7]);
  });
});

describe("selectStories: a story covered in several countries", () => {
  it("appears once, under the country of its best article, with the others as alternative takes", () => {
    const jp = article("JP", "Asahi", 6, { summary: "" });
    const br = article("BR", "Folha", 4);
    const sk = article("SK", "SME", 3);
    const de = article("DE", "Spiegel", 2);
    const r = picked(selectStories({ ...base, countries: ["JP", "BR", "SK"], candidates: [story(1, [jp, br, sk, de])] }));
    expect(r).toHaveLength(1);
    // Folha has a summary and is earlier than SME: it leads.
    expect(r[0]!.country).toBe("BR");
    expect(r[0]!.lead.id).toBe(br.id);
    expect(r[0]!.alternatives.map((a) => a.id).sort()).toEqual([jp.id, sk.id, de.id].sort());
  });

  it("moves to the next country when the best one is full", () => {
    const candidates = [
      story(1, [article("JP", "Asahi", 1)], { overlookedScore: 5 }),
      story(2, [article("JP", "NHK", 5), article("BR", "Folha", 4)], { overlookedScore: 1 }),
    ];
    const r = picked(selectStories({ ...base, countries: ["JP", "BR"], candidates, maxPerCountry: 1 }));
    expect(r.map((s) => [s.id, s.country])).toEqual([[1, "JP"], [2, "BR"]]);
  });

  it("prefers other countries and other outlets for alternative takes, one per outlet, at most five", () => {
    const lead = article("JP", "Asahi", 10);
    const others = [
      article("JP", "Asahi", 9), // same outlet as the lead: never
      article("JP", "NHK", 8), // same country: only after other countries
      article("FR", "Le Monde", 7),
      article("FR", "Le Figaro", 7),
      article("DE", "Spiegel", 6),
      article("DE", "Spiegel", 5), // same outlet twice: once
      article("KR", "Yonhap", 4),
      article("IN", "The Hindu", 3),
      article("GB", "Guardian", 2),
    ];
    const r = picked(selectStories({ ...base, countries: ["JP"], candidates: [story(1, [lead, ...others])] }));
    const alts = r[0]!.alternatives;
    expect(alts).toHaveLength(5);
    expect(alts.map((a) => a.outlet)).toEqual(["Le Monde", "Spiegel", "Yonhap", "The Hindu", "Guardian"]);
    const more = picked(selectStories({ ...base, countries: ["JP"], maxAlternatives: 8, candidates: [story(1, [lead, ...others])] }));
    expect(more[0]!.alternatives.map((a) => a.outlet)).toEqual([
      "Le Monde", "Spiegel", "Yonhap", "The Hindu", "Guardian", "Le Figaro", "NHK",
    ]);
  });
});
