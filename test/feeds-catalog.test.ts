import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { countries } from "../src/countries";
import { catalogProblems, readSourceCatalog } from "../src/feeds/source-catalog";
import { sourceCatalogPath } from "../src/node/feeds";

describe("the sources catalog (db/sources.json)", () => {
  const raw = JSON.parse(readFileSync(sourceCatalogPath, "utf8")) as unknown;
  const sources = readSourceCatalog();
  const foreign = sources.filter((s) => !s.isReference);
  const reference = sources.filter((s) => s.isReference);

  it("has a sound shape: unique slugs and feeds, known countries, http(s) URLs, language codes", () => {
    expect(catalogProblems(raw)).toEqual([]);
  });

  it("covers 55 or more countries with about 150 foreign outlets, two or more each", () => {
    const covered = new Set(foreign.map((s) => s.country));
    expect([...covered].filter((code) => !countries.some((c) => c.code === code))).toEqual([]);
    expect(covered.size).toBeGreaterThanOrEqual(55);
    expect(foreign.length).toBeGreaterThanOrEqual(140);
    for (const country of covered) expect(foreign.filter((s) => s.country === country).length).toBeGreaterThanOrEqual(2);
    expect(new Set(foreign.map((s) => s.language)).size).toBeGreaterThanOrEqual(25);
  });

  it("lists 6 to 8 US reference outlets, and only US outlets as references", () => {
    expect(reference.length).toBeGreaterThanOrEqual(6);
    expect(reference.length).toBeLessThanOrEqual(8);
    expect(reference.every((s) => s.country === "US")).toBe(true);
    expect(foreign.some((s) => s.country === "US")).toBe(false);
    expect(sources.every((s) => s.isSample === false)).toBe(true);
  });
});

describe("catalogProblems", () => {
  const good = { slug: "jp-nhk", name: "NHK", country: "JP", homepage: "https://www3.nhk.or.jp/", feedUrl: "https://www3.nhk.or.jp/rss/news/cat0.xml", language: "ja" };

  it("accepts an array or { sources }", () => {
    expect(catalogProblems([good])).toEqual([]);
    expect(catalogProblems({ sources: [good] })).toEqual([]);
    expect(catalogProblems({ nope: 1 })).toEqual(["expected an array of sources, or { sources: [...] }"]);
  });

  it("names each problem", () => {
    const problems = catalogProblems([
      good,
      { ...good, feedUrl: "https://other.example.org/rss" },
      { ...good, slug: "xx-bad", country: "XX", feedUrl: "ftp://example.org/rss", homepage: "notaurl", language: "Japanese" },
      { ...good, slug: "us-paper", country: "US", feedUrl: "https://us.example.org/rss" },
      { ...good, slug: "Bad Slug", feedUrl: "https://third.example.org/rss", name: "" },
      { ...good, slug: "jp-dup-feed" },
      { ...good, slug: "fr-ref", country: "FR", isReference: true, feedUrl: "https://fr.example.org/rss" },
    ]);
    expect(problems).toEqual([
      "#1 jp-nhk: duplicate slug",
      "#2 xx-bad: country XX is not in src/countries.ts",
      "#2 xx-bad: homepage is not an http(s) URL",
      "#2 xx-bad: feedUrl is not an http(s) URL",
      '#2 xx-bad: language must be a lower-case ISO 639 code such as "ja"',
      "#3 us-paper: country US is not in src/countries.ts",
      "#4 Bad Slug: slug must be kebab-case starting with a country code",
      "#4 Bad Slug: name is missing",
      '#4 Bad Slug: slug should start with "jp-"',
      "#5 jp-dup-feed: feedUrl listed twice",
      "#6 fr-ref: country FR is not US (reference outlets)",
    ]);
  });
});
