// /countries and /countries/<code>: a country's latest stories as the digest shows them, the subscribe form
// ticked for it, a plain 404 for codes that are not countries, and pages cached for a few minutes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, pageText, type TestApp } from "./helpers/app";
import { insertMissingSources, type NewSource } from "../db/queries/sources";
import { ingestPushedArticles } from "../src/ingest/push";
import type { PushedArticle } from "../src/ingest/pushed-article";
import { chooseCountryStories, COUNTRY_MAX_STORIES } from "../src/digest/country-stories";
import { COUNTRY_PAGE_TTL_MS } from "../src/routes/countries";
import { pageCsp } from "../src/http/security-headers";
import type { CandidateArticle, CandidateStory } from "../src/digest/types";

let t: TestApp;
const hoursAgo = (h: number) => new Date(t.clock.now.getTime() - h * 3_600_000);
const article = (a: Partial<PushedArticle> & Pick<PushedArticle, "url" | "title" | "country" | "outlet">): PushedArticle => ({
  summary: "",
  originalTitle: a.title,
  language: "en",
  publishedAt: hoursAgo(2),
  ...a,
});
const source = (slug: string, country: string): NewSource => ({
  slug, name: slug, country, homepage: `https://${slug}.example/`, feedUrl: `https://${slug}.example/rss`, language: "en",
});

beforeAll(async () => {
  t = await createTestApp();
  await insertMissingSources(t.deps.db, [source("ke-nation", "KE"), source("fr-monde", "FR"), source("ng-punch", "NG")]);
  await ingestPushedArticles(t.deps, [
    article({ url: "https://nation.example/port", title: "Mombasa port clears its container backlog in record time", summary: "Night shifts cut waiting from nine days to two.", originalTitle: "Bandari ya Mombasa", country: "KE", outlet: "Example Nation", language: "sw", publishedAt: hoursAgo(5) }),
    article({ url: "https://punch.example/port", title: "Mombasa port clears container backlog in record time, Kenya says", summary: "Waiting for ships fell from nine days to two after night shifts began.", country: "NG", outlet: "Example Punch", publishedAt: hoursAgo(4) }),
    article({ url: "https://nation.example/old", title: "Kisumu ferry service resumes after repairs", country: "KE", outlet: "Example Nation", publishedAt: hoursAgo(24 * 4) }),
    // Straight to the store (the API would strip the tag): the page must escape what it is given.
    article({ url: "https://nation.example/cycle", title: "Nairobi opens its first cycle highway <script>alert(1)</script>", summary: "A 12 km lane.", country: "KE", outlet: "Example Nation" }),
  ]);
});
afterAll(() => t.close());

describe("a country page", () => {
  it("shows the country's recent stories as the digest does: title, outlet, translation, why, alternative takes", async () => {
    const res = await t.app.request("/countries/ke");
    expect(res.status).toBe(200);
    const html = await pageText(res);
    expect(html).toContain("<title>Kenya: overlooked stories · World Digest</title>");
    expect(html).toContain('<a href="https://nation.example/port">Mombasa port clears its container backlog in record time</a>');
    expect(html).toContain('<p class="meta">Example Nation · 🇰🇪 Kenya · Translated from Swahili</p>');
    expect(html).toMatch(/<strong>Why it’s overlooked:<\/strong> Covered by 2 outlets in 2 countries/);
    expect(html).toContain('🇳🇬 Nigeria · Example Punch: <a href="https://punch.example/port">');
    // Text from outside stays text.
    expect(html).toContain("Nairobi opens its first cycle highway <script>alert(1)</script>");
    expect(await (await t.app.request("/countries/ke")).text()).not.toContain("<script>alert");
    // Older than the page's three days: left out, as a daily digest would have long sent it.
    expect(html).not.toContain("Kisumu ferry");
  });

  it("carries the subscribe form with the country ticked, and strict, public, short caching headers", async () => {
    const res = await t.app.request("/countries/ke");
    const html = await res.text();
    expect(html).toContain("Get this in your morning email");
    expect(html).toMatch(/<input type="checkbox" name="countries" value="KE" checked=""/);
    expect(html).toMatch(/<input type="checkbox" name="countries" value="FR"\/?>/);
    expect(res.headers.get("cache-control")).toBe(`public, max-age=${COUNTRY_PAGE_TTL_MS / 1000}`);
    expect(res.headers.get("content-security-policy")).toBe(pageCsp);
  });

  it("is rendered at most once per few minutes: a new story shows after the cache time", async () => {
    const before = await (await t.app.request("/countries/ng")).text();
    await ingestPushedArticles(t.deps, [article({ url: "https://punch.example/lagos", title: "Lagos opens a floating school for the Makoko lagoon", country: "NG", outlet: "Example Punch" })]);
    expect(await (await t.app.request("/countries/ng")).text()).toBe(before);
    t.clock.advance(COUNTRY_PAGE_TTL_MS + 1000);
    expect(await (await t.app.request("/countries/ng")).text()).toContain("Lagos opens a floating school");
  });

  it("says plainly when a country has no stories, and offers the form only where we have a source", async () => {
    const france = await pageText(await t.app.request("/countries/fr"));
    expect(france).toContain("No stories from France in the last 3 days.");
    expect(france).toContain("Get this in your morning email");
    const austria = await pageText(await t.app.request("/countries/at"));
    expect(austria).toContain("No stories from Austria yet: we don't read a news source there yet.");
    expect(austria).not.toContain("Get this in your morning email");
    expect(austria).toContain('<a href="/countries">See the countries we cover</a>');
  });

  it("answers 404 with a way back for codes that are not countries, and for the US (reference only)", async () => {
    for (const path of ["/countries/zz", "/countries/kenya", "/countries/k1", "/countries/x%00y", "/countries/us"]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
      const html = await pageText(res);
      expect(html).toContain('<a href="/countries">All countries</a>');
      expect(html).toContain('<a href="/">Back to World Digest</a>');
      expect(html).not.toContain("\u0000");
    }
    expect(await pageText(await t.app.request("/countries/zz"))).toContain("There is no country with the code “zz”.");
    expect(await pageText(await t.app.request("/countries/us"))).toContain("US outlets are only what we compare coverage with");
  });

  it("has one address per country: upper case redirects to lower case", async () => {
    const res = await t.app.request("/countries/KE");
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe("/countries/ke");
  });
});

describe("the countries index", () => {
  it("lists the countries with a source, each leading to its page", async () => {
    const html = await pageText(await t.app.request("/countries"));
    expect(html).toContain("The 3 countries we read news from.");
    for (const [code, name] of [["ke", "Kenya"], ["fr", "France"], ["ng", "Nigeria"]]) {
      expect(html).toMatch(new RegExp(`<a href="/countries/${code}"><span aria-hidden="true">[^<]+</span> ${name}</a>`));
    }
    expect(html).not.toContain("/countries/at");
  });
});

describe("chooseCountryStories (pure)", () => {
  const now = new Date("2026-03-02T12:00:00Z");
  let id = 0;
  const art = (country: string, hoursBefore: number, over: Partial<CandidateArticle> = {}): CandidateArticle => ({
    id: ++id, title: `t${id}`, summary: "s", url: `https://x.example/${id}`, outlet: `${country} outlet ${id}`, country, language: "en",
    translated: false, originalTitle: `t${id}`, publishedAt: new Date(now.getTime() - hoursBefore * 3_600_000), ...over,
  });
  const story = (score: number, articles: CandidateArticle[]): CandidateStory => ({
    id: ++id, title: `story ${id}`, overlookedScore: score, overlookedReason: "why", outletCount: articles.length,
    countryCount: new Set(articles.map((a) => a.country)).size, lastArticleAt: articles.at(-1)!.publishedAt, articles,
  });

  it("leads with the country's own article and ranks as the digest does, at most the page's number of stories", () => {
    const shared = story(0.9, [art("NG", 3), art("KE", 2), art("GB", 1)]);
    const weak = story(0.1, [art("KE", 1)]);
    const elsewhere = story(1, [art("NG", 1)]);
    const many = Array.from({ length: 14 }, () => story(0.5, [art("KE", 5)]));
    const chosen = chooseCountryStories("KE", [weak, shared, elsewhere, ...many], now);
    expect(chosen).toHaveLength(COUNTRY_MAX_STORIES);
    expect(chosen[0]!.id).toBe(shared.id);
    expect(chosen[0]!.countryName).toBe("Kenya");
    expect(chosen[0]!.alternatives.map((a) => a.countryName)).toEqual(["Nigeria", "United Kingdom"]);
    expect(chosen.some((s) => s.id === elsewhere.id)).toBe(false);
    expect(chosen.some((s) => s.id === weak.id)).toBe(false);
  });

  it("is empty when nothing from the country is recent", () => {
    expect(chooseCountryStories("KE", [story(1, [art("KE", 24 * 3 + 1)])], now)).toEqual([]);
  });
});
