import { describe, expect, it } from "vitest";
import { buildDigest, cleanText, DIGEST_LEVELS, editionLabel, languageName, safeUrl, scheduleWords } from "../src/digest/build-digest";
import { digestPreheader, digestSubject } from "../emails/digest-text";
import { largestBuildInput, previewBuildInput, sampleStories } from "../emails/preview-data";

describe("buildDigest", () => {
  it("groups stories by country in the order of each country's best story, keeping rank order inside", () => {
    const d = buildDigest(previewBuildInput);
    expect(d.sections.map((s) => s.country)).toEqual(["JP", "BR", "SK"]);
    expect(d.sections.map((s) => s.stories.map((st) => st.id))).toEqual([[1, 5], [2, 3], [4]]);
    expect(d.sections[0]).toMatchObject({ flag: "🇯🇵", name: "Japan" });
  });

  it("names the count and the countries in the subject and the counts line", () => {
    const d = buildDigest(previewBuildInput);
    expect(d.subject).toBe("5 overlooked stories from Japan, Brazil and Slovakia");
    expect(d.countsLine).toBe("5 overlooked stories from 3 countries");
    const one = buildDigest({ ...previewBuildInput, stories: [sampleStories()[3]!] });
    expect(one.subject).toBe("1 overlooked story from Slovakia");
    expect(one.countsLine).toBe("1 overlooked story from Slovakia");
    expect(digestSubject(12, ["Japan", "Brazil", "Slovakia", "Kenya", "Chile"])).toBe(
      "12 overlooked stories from Japan, Brazil, Slovakia and 2 more countries",
    );
  });

  it("labels the edition with the subscriber's local date", () => {
    expect(buildDigest(previewBuildInput).dateLabel).toBe("Monday, 11 May 2026");
    expect(editionLabel("2026-12-31")).toBe("Thursday, 31 December 2026");
    expect(() => editionLabel("31/12/2026")).toThrow(/YYYY-MM-DD/);
  });

  it("says which language a translation comes from, and nothing for English originals", () => {
    const d = buildDigest(previewBuildInput);
    const byId = new Map(d.sections.flatMap((s) => s.stories).map((s) => [s.id, s]));
    expect(byId.get(1)!.translatedFrom).toBe("Translated from Japanese");
    expect(byId.get(2)!.translatedFrom).toBe("Translated from Portuguese");
    expect(byId.get(5)!.translatedFrom).toBe("");
    expect(languageName("sk")).toBe("Slovak");
    expect(languageName("zz-unknown")).toBe("zz-unknown");
  });

  it("shows a summary that only repeats the title once (a title made from a one-sentence description)", () => {
    const [story] = sampleStories();
    const echo = { ...story!, lead: { ...story!.lead, title: "Ferries stopped at noon.", summary: "Ferries stopped at noon." } };
    const d = buildDigest({ ...previewBuildInput, stories: [echo] });
    expect(d.sections[0]!.stories[0]).toMatchObject({ title: "Ferries stopped at noon.", summary: "" });
    const longer = { ...echo, lead: { ...echo.lead, summary: "Ferries stopped at noon. Storm on the coast." } };
    expect(buildDigest({ ...previewBuildInput, stories: [longer] }).sections[0]!.stories[0]!.summary).toBe("Ferries stopped at noon. Storm on the coast.");
  });

  it("turns alternative takes into outlet, flag, country name, title and link", () => {
    const d = buildDigest(previewBuildInput);
    const brazil = d.sections[1]!.stories[0]!;
    expect(brazil.alternatives.map((a) => `${a.countryFlag} ${a.countryName} · ${a.outlet}`)).toEqual([
      "🇵🇹 Portugal · Público",
      "🇨🇴 Colombia · El Tiempo",
      "🇧🇷 Brazil · O Globo",
    ]);
    expect(brazil.alternatives.every((a) => a.url.startsWith("https://") && a.title.length > 0)).toBe(true);
  });

  it("explains why the subscriber gets it: countries and schedule", () => {
    expect(buildDigest(previewBuildInput).whyYouGetThis).toBe(
      "You get this because you follow Japan, Brazil and Slovakia on World Digest, Monday to Friday at 07:00 (America/Chicago).",
    );
    expect(scheduleWords("weekly", 6, "08:15")).toBe("every Saturday at 08:15");
    expect(scheduleWords("daily", null, "06:30")).toBe("every day at 06:30");
  });

  it("refuses an empty digest and non-http(s) personal links", () => {
    expect(() => buildDigest({ ...previewBuildInput, stories: [] })).toThrow(/at least one story/);
    expect(() => buildDigest({ ...previewBuildInput, links: { ...previewBuildInput.links, manage: "javascript:alert(1)" } })).toThrow(/manage/);
  });

  it("shortens texts, then drops alternative takes, level by level", () => {
    const input = largestBuildInput(100);
    let previousTitle = Infinity;
    for (let level = 0; level < DIGEST_LEVELS.length; level++) {
      const d = buildDigest(input, level);
      const story = d.sections[0]!.stories[0]!;
      expect(story.title.length).toBeLessThanOrEqual(DIGEST_LEVELS[level]!.title);
      expect(story.title.length).toBeLessThanOrEqual(previousTitle);
      expect(story.alternatives.length).toBe(DIGEST_LEVELS[level]!.takes);
      previousTitle = story.title.length;
    }
    expect(buildDigest(input, 3).sections[0]!.stories[0]!.alternatives[0]!.title).toBe("");
  });

  it("returns the same story object for the same selection (the renderer's fast path)", () => {
    const stories = sampleStories();
    const a = buildDigest({ ...previewBuildInput, stories });
    const b = buildDigest({ ...previewBuildInput, stories: [...stories].reverse() });
    const first = a.sections[0]!.stories[0]!;
    const again = b.sections.flatMap((s) => s.stories).find((s) => s.id === first.id);
    expect(again).toBe(first);
  });

  it("builds a preheader from the first stories, about 140 characters", () => {
    const d = buildDigest(previewBuildInput);
    expect(d.preheader.startsWith("Japan: Rural towns in Shimane")).toBe(true);
    expect(d.preheader.length).toBeLessThanOrEqual(140);
    expect(digestPreheader(d.sections)).toBe(d.preheader);
  });
});

describe("cleaning untrusted text", () => {
  it("removes control and bidi-override characters, collapses whitespace, repairs lone surrogates", () => {
    expect(cleanText("  a\u0000b\tc\n\nd\u202eevil\u202c \ud800 e\u0085 ", 100)).toBe("a b c d evil \ufffd e");
    expect(cleanText(null, 10)).toBe("");
    expect(cleanText(42, 10)).toBe("42");
  });

  it("cuts long text at a word boundary with an ellipsis, never inside a surrogate pair", () => {
    expect(cleanText("the quick brown fox jumps over the lazy dog", 20)).toBe("the quick brown fox…");
    const emoji = "🙂".repeat(20);
    const cut = cleanText(emoji, 11);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(cleanText("anything", 0)).toBe("");
  });

  it("keeps only http(s) links", () => {
    expect(safeUrl("https://example.com/a b")).toBe("https://example.com/a%20b");
    expect(safeUrl("javascript:alert(1)")).toBe("");
    expect(safeUrl(" JaVaScRiPt:alert(1)")).toBe("");
    expect(safeUrl("data:text/html,<script>")).toBe("");
    expect(safeUrl("not a url")).toBe("");
    expect(safeUrl(`https://example.com/${"a".repeat(500)}`)).toBe("");
    expect(safeUrl(undefined)).toBe("");
  });
});
