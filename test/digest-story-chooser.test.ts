// The morning run's story chooser (each country ranked once per window, lists merged per subscriber)
// gives exactly selectStories' answer — the same stories, leads, alternative takes, ranks and skip
// reasons — on random worlds full of ties, stale and future articles, US references and sent history.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { selectStories } from "../src/digest/select-stories";
import { createStoryChooser } from "../src/digest/story-chooser";
import type { CandidateArticle, CandidateStory } from "../src/digest/types";

const NOW = new Date("2026-05-13T07:00:00Z");
const HOUR = 3_600_000;
const COUNTRIES = ["JP", "BR", "SK", "KE", "US"];

const articleArb = fc.record({
  country: fc.constantFrom(...COUNTRIES),
  outlet: fc.constantFrom("A", "B", "C", "D", "a"),
  // Hours before now: some in the future (negative), some before any window, many equal.
  hoursAgo: fc.oneof(fc.constantFrom(-2, 1, 3, 3, 12, 30, 200), fc.integer({ min: -5, max: 220 })),
  summary: fc.constantFrom("", "  ", "Two lines."),
  isReference: fc.boolean(),
});

const storyArb = fc.record({
  score: fc.constantFrom(0, 0.5, 0.5, 1, -1),
  outlets: fc.integer({ min: 0, max: 5 }),
  countries: fc.integer({ min: 0, max: 4 }),
  lastHoursAgo: fc.constantFrom(1, 2, 2, 50),
  articles: fc.array(articleArb, { minLength: 1, maxLength: 6 }),
});

type StorySpec = typeof storyArb extends fc.Arbitrary<infer T> ? T : never;

function world(specs: StorySpec[]): CandidateStory[] {
  let articleId = 1;
  return specs.map((spec, i) => {
    const articles: CandidateArticle[] = spec.articles.map((a) => {
      const id = articleId++;
      return {
        id,
        title: `t${id}`,
        summary: a.summary,
        url: `https://x.example/${id % 7 === 0 ? "same" : id}`,
        outlet: a.outlet,
        country: a.country,
        language: "en",
        translated: false,
        originalTitle: `t${id}`,
        publishedAt: new Date(NOW.getTime() - a.hoursAgo * HOUR),
        ...(a.isReference && a.country === "US" ? { isReference: true } : {}),
      };
    });
    return {
      id: 100 + i,
      title: `Story ${i}`,
      overlookedScore: spec.score,
      overlookedReason: "reason",
      outletCount: spec.outlets,
      countryCount: spec.countries,
      lastArticleAt: new Date(NOW.getTime() - spec.lastHoursAgo * HOUR),
      articles,
    };
  });
}

const subscriberArb = fc.record({
  countries: fc.array(fc.constantFrom(...COUNTRIES), { maxLength: 5 }),
  sinceHoursAgo: fc.constantFrom(24, 24, 48, 168, 6),
  sentIndexes: fc.array(fc.integer({ min: 0, max: 30 }), { maxLength: 6 }),
});

describe("createStoryChooser", () => {
  it("answers exactly as selectStories, subscriber after subscriber", () => {
    fc.assert(
      fc.property(
        fc.array(storyArb, { minLength: 0, maxLength: 30 }),
        fc.array(subscriberArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 7 }),
        (specs, subscribers, maxPerCountry, maxTotal) => {
          const candidates = world(specs);
          const choose = createStoryChooser(candidates, NOW, { maxPerCountry, maxTotal });
          for (const s of subscribers) {
            const since = new Date(NOW.getTime() - s.sinceHoursAgo * HOUR);
            const sent = new Set(s.sentIndexes.map((i) => 100 + i));
            const expected = selectStories({ countries: s.countries, sentStoryIds: sent, since, now: NOW, candidates, maxPerCountry, maxTotal });
            expect(choose(s.countries, sent, since)).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("hands ambiguous candidates (a repeated id) to selectStories", () => {
    const [a] = world([{ score: 1, outlets: 1, countries: 1, lastHoursAgo: 1, articles: [{ country: "JP", outlet: "A", hoursAgo: 1, summary: "", isReference: false }] }]);
    const candidates = [a!, { ...a!, title: "Same id" }];
    const since = new Date(NOW.getTime() - 24 * HOUR);
    expect(createStoryChooser(candidates, NOW)(["JP"], new Set(), since)).toEqual(selectStories({ countries: ["JP"], sentStoryIds: new Set(), since, now: NOW, candidates }));
  });

  it("refuses invalid limits and dates as selectStories does", () => {
    expect(() => createStoryChooser([], NOW, { maxTotal: 0 })(["JP"], new Set(), NOW)).toThrow(RangeError);
    expect(() => createStoryChooser([], NOW)(["JP"], new Set(), new Date("nope"))).toThrow(RangeError);
    expect(createStoryChooser([], NOW)(["US"], new Set(), NOW)).toEqual({ skip: "no countries selected" });
  });
});
