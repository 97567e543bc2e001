// Story grouping: the words it reads, the places it recognises, and the grouping's invariants — order of
// arrival does not change the stories, look-alikes elsewhere stay apart, US domestic news never covers a
// foreign story, stories keep their ids. Small hand-made cases; no figure of a tuned-on corpus is asserted
// here (those are in the README, from `npm run eval:stories`).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCorpus, type Corpus } from "../src/editorial/corpus";
import { corpusArticles } from "../src/editorial/fit";
import { profileArticle } from "../src/stories/article-profile";
import { groupArticles, planStories, type ClusterArticle } from "../src/stories/cluster";
import { eventTypes } from "../src/stories/event-types";
import { countriesNamed } from "../src/stories/place-names";
import { names, stem, terms } from "../src/stories/words";

const start = Date.parse("2026-03-18T00:00:00Z");
const at = (hour: number) => new Date(start + hour * 3_600_000);

let nextId = 1;
function article(over: Partial<ClusterArticle> & { title: string }): ClusterArticle {
  return { id: nextId++, summary: "", country: "GB", publishedAt: at(0), isReference: false, storyId: null, ...over };
}

/** The groups as sets of ids, sorted, for comparing partitions. */
function partition(articles: readonly ClusterArticle[]): string[] {
  return groupArticles(articles).groups.map((g) => g.map((i) => articles[i]!.id).sort((a, b) => a - b).join(",")).sort();
}

function fixture(name: string): Corpus {
  const parsed = parseCorpus(JSON.parse(readFileSync(new URL(`./fixtures/editorial/${name}`, import.meta.url), "utf8")));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.corpus;
}

describe("the words grouping reads", () => {
  it("stems with Porter2 and meets news synonyms in one term", () => {
    expect(stem("elections")).toBe(stem("election"));
    expect(terms("Quake kills four")).toEqual(terms("Earthquake killed four"));
    expect(terms("tremor")).toEqual(terms("temblor"));
    expect(terms("Central bank trims rates")).toEqual(terms("central bank cuts rate"));
  });

  it("drops stop-words and headline filler, keeps names and numbers' words", () => {
    expect(terms("Officials say the Bank of Japan raised rates on Tuesday")).toEqual(["offici", "bank", "japan", "hike", "rate"]);
  });

  it("splits untranslated CJK text into character pairs so it can still match itself", () => {
    const [a, b] = [terms("東京で大雨"), terms("東京 大雨 続く")];
    expect(a.filter((t) => b.includes(t))).toEqual(expect.arrayContaining(["東京", "大雨"]));
  });

  it("takes capitalised words inside sentences as names, not sentence starts or country names", () => {
    expect(names("Rescuers in Karlıova searched the rubble. Turkish officials said Bingöl was hit.")).toEqual(["karliova", "bingol"]);
    expect(names("Old Foes in the Caucasus Settle a Slice of Their Boundary", true)).toEqual([]);
  });

  it("recognises the countries a text names: names, short forms, demonyms, capitals, US states", () => {
    expect(countriesNamed("Tremor in Ecuador was felt in Tumaco; no victims reported in Colombia")).toEqual(["EC", "CO"]);
    expect(countriesNamed("UK sanctions Sudanese militia; the U.S. and the UAE")).toEqual(["GB", "SD", "US", "AE"]);
    expect(countriesNamed("Ankara welcomes the protocol")).toEqual(["TR"]);
    expect(countriesNamed("Measles cases climb in Utah")).toEqual(["US"]);
    expect(countriesNamed("Bosnia's election")).toEqual(["BA"]);
  });

  it("does not read places out of other names or common words", () => {
    expect(countriesNamed("Strong earthquake strikes West New Britain")).toEqual([]);
    expect(countriesNamed("male nurses chad turkey")).toEqual([]);
    expect(countriesNamed("Boat capsizes on Lake Victoria")).toEqual([]);
  });

  it("names the kinds of event a text reports", () => {
    expect([...eventTypes("Strong tremor and flash floods")].sort()).toEqual(["earthquake", "flood"]);
    expect([...eventTypes("Doctors walk out; strike enters day two")]).toEqual(["labour"]);
  });
});

describe("grouping", () => {
  it("puts one event reported in three countries, in different words, in one story", () => {
    const articles = [
      article({ country: "TW", title: "Magnitude 7.4 earthquake strikes Hualien; buildings collapse", summary: "The strongest quake in 25 years hit Hualien County in eastern Taiwan, killing at least nine.", publishedAt: at(1) }),
      article({ country: "HK", title: "Deadly Taiwan tremor: Hualien rescuers search collapsed buildings", summary: "Rescue teams in Hualien searched for people trapped after the 7.4 magnitude temblor.", publishedAt: at(3) }),
      article({ country: "JP", title: "Strong earthquake in Taiwan; tsunami warning issued for Okinawa", summary: "A magnitude 7.4 quake off eastern Taiwan prompted a tsunami warning for Okinawa, later lifted.", publishedAt: at(4) }),
    ];
    expect(partition(articles)).toEqual([articles.map((a) => a.id).join(",")]);
  });

  it("keeps look-alikes in different countries apart: two earthquakes the same day, two rate cuts", () => {
    const quakeEcuador = article({ country: "EC", title: "Strong earthquake strikes Esmeraldas; four dead in Muisne", summary: "A magnitude 6.4 earthquake struck off the coast of Ecuador's Esmeraldas province, collapsing houses." });
    const quakePng = article({ country: "PG", title: "Strong earthquake strikes West New Britain; two dead in Kimbe", summary: "A magnitude 6.7 earthquake struck Papua New Guinea's West New Britain province, collapsing houses.", publishedAt: at(6) });
    const cutGhana = article({ country: "GH", title: "Bank of Ghana cuts policy rate by 150 basis points", summary: "Ghana's central bank lowered its policy rate to 14.5% as inflation eased.", publishedAt: at(2) });
    const cutKazakhstan = article({ country: "KZ", title: "National Bank of Kazakhstan cuts base rate to 16%", summary: "Kazakhstan's central bank lowered its base rate as inflation eased.", publishedAt: at(3) });
    expect(partition([quakeEcuador, quakePng, cutGhana, cutKazakhstan])).toHaveLength(4);
  });

  it("does not let US domestic news make a foreign story covered, and attaches the US report of the same event", () => {
    const foreign = [
      article({ country: "MN", title: "Mongolia raises measles alert to high as cases pass 2,000", summary: "The health ministry in Ulaanbaatar said measles cases this year passed 2,000." }),
      article({ country: "CN", title: "Measles in Mongolia: cases pass 2,000, alert raised", summary: "Mongolia's health ministry raised its measles alert to high.", publishedAt: at(2) }),
    ];
    const utah = article({ country: "US", isReference: true, title: "Measles cases climb in Utah as outbreak spreads to more schools", summary: "Utah health officials reported 40 new measles cases.", publishedAt: at(3) });
    const ap = article({ country: "US", isReference: true, title: "Mongolia raises measles alert as cases top 2,000", summary: "Mongolia's health ministry raised its measles alert to its highest level.", publishedAt: at(4) });
    const articles = [...foreign, utah, ap];
    const { groups } = groupArticles(articles);
    const story = groups.find((g) => g.includes(0))!;
    expect(story.map((i) => articles[i]!.id).sort()).toEqual([foreign[0]!.id, foreign[1]!.id, ap.id].sort());
    expect(groups.find((g) => g.includes(2))).toEqual([2]);
  });

  it("never joins articles more than 48 hours apart", () => {
    const a = article({ title: "Magnitude 7.4 earthquake strikes Hualien in eastern Taiwan", country: "TW" });
    const b = article({ title: "Magnitude 7.4 earthquake strikes Hualien in eastern Taiwan", country: "TW", publishedAt: at(60) });
    expect(partition([a, b])).toHaveLength(2);
  });

  it("gives the same stories whatever order the articles come in", () => {
    const articles = corpusArticles(fixture("nov-2026-culture-business.json"));
    const expected = partition(articles);
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2_147_483_647) / 2_147_483_647);
    for (let round = 0; round < 3; round++) {
      const shuffled = articles.map((a) => ({ a, k: random() })).sort((x, y) => x.k - y.k).map((x) => x.a);
      expect(partition(shuffled)).toEqual(expected);
    }
    expect(partition([...articles].reverse())).toEqual(expected);
  });

  it("copes with empty, wordless and untranslated articles", () => {
    expect(groupArticles([]).groups).toEqual([]);
    const articles = [article({ title: "!!!" }), article({ title: "…" }), article({ title: "東京で大雨", country: "JP" }), article({ title: "東京で大雨 続く", country: "JP", publishedAt: at(1) })];
    const groups = partition(articles);
    expect(groups).toContain(`${articles[2]!.id},${articles[3]!.id}`);
    expect(groups).toHaveLength(3);
  });
});

describe("stories keep their ids", () => {
  it("adds a new report to the story it matches and leaves the others alone", () => {
    const [a, b, c] = [
      article({ storyId: 7, country: "TW", title: "Magnitude 7.4 earthquake strikes Hualien in eastern Taiwan", summary: "Buildings collapsed in Hualien." }),
      article({ storyId: 8, country: "TW", title: "TSMC profit beats forecasts on AI chip demand", summary: "Taiwan Semiconductor posted record profit." }),
      article({ country: "JP", title: "Hualien earthquake: rescuers search collapsed buildings in Taiwan", summary: "Rescuers searched collapsed buildings in Hualien after the quake.", publishedAt: at(5) }),
    ];
    expect(planStories([a!, b!, c!])).toEqual([{ storyId: 7, articleIds: [a!.id, c!.id], title: a!.title }]);
  });

  it("plans nothing when nothing changes, and a new story for an unrelated report", () => {
    const a = article({ storyId: 3, country: "KE", title: "Kenyan runners sweep the Boston marathon podium", summary: "Kenya took the first three places." });
    expect(planStories([a])).toEqual([]);
    const b = article({ country: "SK", title: "Slovak government approves budget cuts", summary: "The cabinet approved a consolidation package." });
    expect(planStories([a, b])).toEqual([{ storyId: null, articleIds: [b.id], title: b.title }]);
  });

  it("profiles an article the same way whenever it is profiled", () => {
    const a = article({ title: "Flash floods force evacuation of 1,700 visitors from Petra", summary: "Jordan's civil defence evacuated tourists from Wadi Musa.", country: "JO" });
    expect(profileArticle(a)).toEqual(profileArticle({ ...a }));
  });
});
