// The whole world: every ISO 3166-1 country is accepted by the API, the catalog and the forms' validation;
// the forms offer those with a working source, and keep a reader's earlier choice that lost its source.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { countries, countryByCode, countryName, countriesByRegion, flagOf, isCountryCode, regions } from "../src/countries";
import { catalogProblems } from "../src/feeds/source-catalog";
import { parsePreferences } from "../src/subscriptions/preferences";
import { insertMissingSources, listSources, recordFetchFailure, recordFetchSuccess, type NewSource } from "../db/queries/sources";
import { findSubscriberByEmail, insertSubscriber } from "../db/queries/subscribers";
import { linkFor } from "../src/tokens";
import { OFFERED_TTL_MS } from "../src/subscriptions/offered-countries";
import { createTestApp, pageText, pathOf, postForm, type TestApp } from "./helpers/app";

// The standard's list, from a well-kept package (its XK, Kosovo, is a user-assigned code, not ISO 3166-1).
const isoCountries = createRequire(import.meta.url)("i18n-iso-countries") as { getAlpha2Codes(): Record<string, string> };
const ISO_CODES = Object.keys(isoCountries.getAlpha2Codes()).filter((c) => c !== "XK");

// The 56 countries World Digest covered before the whole world: subscribers may follow any of them.
const EARLIER_CODES =
  "GB IE FR DE ES PT IT NL PL SK CZ HU RO GR SE NO FI UA RU RS JP KR CN TW HK IN PK BD ID PH VN TH MY SG NP TR IL IR SA AE QA EG NG KE ZA GH ET MA BR MX AR CO CL CA AU NZ".split(" ");

describe("the country list (src/countries.ts)", () => {
  it("holds every ISO 3166-1 alpha-2 code but the US, which stays reference-only but named", () => {
    expect(ISO_CODES).toHaveLength(249);
    expect(countries.map((c) => c.code).sort()).toEqual(ISO_CODES.filter((c) => c !== "US").sort());
    expect(isCountryCode("US")).toBe(false);
    expect(countryName("US")).toBe("United States");
    for (const bad of ["XK", "XX", "us", "", "UK", "EU"]) expect(isCountryCode(bad)).toBe(false);
  });

  it("gives each a unique English name, a region and its flag, in one-byte text", () => {
    expect(new Set(countries.map((c) => c.name)).size).toBe(countries.length);
    for (const c of countries) {
      expect(regions).toContain(c.region);
      expect(c.flag).toBe(flagOf(c.code));
      expect([...c.flag].map((ch) => ch.codePointAt(0)! - 0x1f1e6 + 65)).toEqual([...c.code].map((ch) => ch.charCodeAt(0)));
      expect(c.name).toMatch(/^[\u0020-\u00ff]+$/);
    }
    expect(countryByCode("AT")).toMatchObject({ name: "Austria", region: "Europe", flag: "🇦🇹" });
    expect(countryByCode("TZ")).toMatchObject({ name: "Tanzania", region: "Africa" });
    expect(countryByCode("KR")?.name).toBe("South Korea");
  });

  it("keeps every country covered before, with the same name and region", () => {
    for (const code of EARLIER_CODES) expect(isCountryCode(code), code).toBe(true);
    expect(countryByCode("TR")).toMatchObject({ name: "Türkiye", region: "Middle East" });
    expect(countryByCode("EG")?.region).toBe("Middle East");
    expect(countryByCode("GB")?.name).toBe("United Kingdom");
  });

  it("groups by region with names sorted, every country once", () => {
    const groups = countriesByRegion();
    expect(groups.map((g) => g.region)).toEqual([...regions]);
    expect(groups.flatMap((g) => g.countries.map((c) => c.code)).sort()).toEqual(countries.map((c) => c.code).sort());
    for (const g of groups) {
      const names = g.countries.map((c) => c.name);
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, "en")));
    }
  });

  it("lets the catalog and the preferences take any country", () => {
    const outlet = { slug: "at-der-standard", name: "Der Standard", country: "AT", homepage: "https://www.derstandard.at/", feedUrl: "https://www.derstandard.at/rss", language: "de" };
    expect(catalogProblems([outlet])).toEqual([]);
    const ok = parsePreferences({ countries: ["AT", "HR", "LT", "TZ", "UG"], frequency: "daily", deliveryTime: "07:00", timeZone: "Europe/Vienna" });
    expect(ok.ok).toBe(true);
    const bad = parsePreferences({ countries: ["XK"], frequency: "daily", deliveryTime: "07:00", timeZone: "UTC" });
    expect(bad).toMatchObject({ ok: false, errors: { countries: "One of the countries is not one we cover." } });
  });
});

describe("the API takes every country", () => {
  let t: TestApp;
  const api = (method: string, path: string, body: unknown) =>
    t.app.request(path, { method, headers: { authorization: `Bearer ${t.deps.config.API_TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it("POST /api/articles takes articles from Austria, Croatia, Lithuania, Tanzania and Uganda (refused before)", async () => {
    const from = [
      ["AT", "Der Standard", "de", "Vienna's council approves a new tram line to the airport"],
      ["HR", "Jutarnji list", "hr", "Croatia's tourist season opens with record ferry bookings"],
      ["LT", "LRT", "lt", "Lithuania's parliament debates a longer school year"],
      ["TZ", "The Citizen", "en", "Dar es Salaam port expansion reaches its second berth"],
      ["UG", "Daily Monitor", "en", "Kampala traders protest a new market levy"],
    ];
    const res = await api("POST", "/api/articles", {
      articles: from.map(([country, outlet, language, title], i) => ({
        url: `https://news.example/${country}/${i}`,
        title,
        summary: `${title}.`,
        country,
        outlet,
        language,
        published: new Date(t.clock.now.getTime() - (i + 1) * 3_600_000).toISOString(),
      })),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Array<{ status: string; reason?: string }> };
    expect(results.map((r) => r.status)).toEqual(["created", "created", "created", "created", "created"]);
  });

  it("POST /api/articles still refuses the US (reference-only) and codes that are not ISO 3166-1, naming the field", async () => {
    const base = { title: "A headline", outlet: "Outlet", language: "en", published: t.clock.now.toISOString() };
    const res = await api("POST", "/api/articles", {
      articles: [
        { ...base, url: "https://news.example/us", country: "US" },
        { ...base, url: "https://news.example/xk", country: "XK" },
      ],
    });
    const { results } = (await res.json()) as { results: Array<{ status: string; reason?: string }> };
    expect(results[0]).toMatchObject({ status: "rejected", reason: expect.stringContaining("US outlets are reference-only") });
    expect(results[1]).toMatchObject({ status: "rejected", reason: "country: must be an ISO 3166-1 alpha-2 country code, e.g. JP" });
  });

  it("POST /api/sources adds an outlet in any country; an unknown code is a 400 naming the field", async () => {
    const created = await api("POST", "/api/sources", { name: "Daily Monitor", country: "ug", feedUrl: "https://www.monitor.example/feed", language: "en" });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { source: { slug: string; country: string } }).source).toMatchObject({ slug: "ug-daily-monitor", country: "UG" });
    const bad = await api("POST", "/api/sources", { name: "Nowhere", country: "XX", feedUrl: "https://x.example/feed", language: "en" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      country: "An ISO 3166-1 alpha-2 country code, e.g. AT (US for a reference outlet).",
    });
  });
});

describe("the forms offer countries with a working source", () => {
  let t: TestApp;
  const source = (slug: string, country: string): NewSource => ({
    slug, name: slug, country, homepage: `https://${slug}.example/`, feedUrl: `https://${slug}.example/rss`, language: "en",
  });
  const checkbox = (html: string, code: string) => html.match(new RegExp(`<label class="check"><input type="checkbox" name="countries" value="${code}"[^>]*>.*?</label>`))?.[0];

  beforeAll(async () => {
    t = await createTestApp();
    await insertMissingSources(t.database.db, [source("jp-one", "JP"), source("ke-one", "KE"), source("at-one", "AT"), source("hr-dead", "HR"), source("us-ref", "US")]);
    await insertMissingSources(t.database.db, [{ ...source("lt-off", "LT"), enabled: false }, { ...source("us-news", "US"), isReference: true }]);
  });
  afterAll(() => t.close());

  it("lists enabled outlets' countries, not a disabled one's, nor the US, nor countries with none", async () => {
    const html = await pageText(await t.app.request("/"));
    for (const code of ["JP", "KE", "AT", "HR"]) expect(checkbox(html, code), code).toBeDefined();
    for (const code of ["LT", "US", "FR", "TZ"]) expect(checkbox(html, code), code).toBeUndefined();
    expect(html).toContain("Listed: the 4 countries we have a working news source in");
    // Regions without an offered country are left out altogether.
    expect(html).not.toContain("<summary>Americas");
  });

  it("drops a country whose only outlet keeps failing (after the pages' few minutes of caching), and adds one the app pushes", async () => {
    const id = (await listSources(t.database.db)).find((s) => s.slug === "hr-dead")!.id;
    for (let i = 0; i < 3; i++) await recordFetchFailure(t.database.db, id, "HTTP 500", t.clock.now);
    // Within the cache time the page still shows it; after, it is gone.
    expect(checkbox(await pageText(await t.app.request("/")), "HR")).toBeDefined();
    t.clock.advance(OFFERED_TTL_MS + 1000);
    expect(checkbox(await pageText(await t.app.request("/")), "HR")).toBeUndefined();

    // A success brings it back; a pushed article from Tanzania makes the app Tanzania's source at once.
    await recordFetchSuccess(t.database.db, id, {}, t.clock.now);
    const pushed = await t.app.request("/api/articles", {
      method: "POST",
      headers: { authorization: `Bearer ${t.deps.config.API_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ articles: [{ url: "https://citizen.example/a", title: "Dar es Salaam port expansion", country: "TZ", outlet: "The Citizen", language: "en", published: t.clock.now.toISOString() }] }),
    });
    expect(pushed.status).toBe(200);
    const html = await pageText(await t.app.request("/"));
    expect(checkbox(html, "HR")).toBeDefined();
    expect(checkbox(html, "TZ")).toContain("Tanzania");
  });

  it("keeps a subscriber's country that lost its source on the manage page, ticked and saved again", async () => {
    await insertSubscriber(t.database.db, { email: "old@example.com", status: "active", countries: ["JP", "FR"], timeZone: "Europe/Paris", nextSendAt: t.clock.now });
    const s = (await findSubscriberByEmail(t.database.db, "old@example.com"))!;
    const manage = pathOf(linkFor("http://x", t.deps.config.appSecret, "manage", s, t.clock.now));
    const html = await pageText(await t.app.request(manage));
    const france = checkbox(html, "FR");
    expect(france).toContain("checked");
    expect(france).toContain("France");
    expect(france).toContain("no working source right now");
    // The summary still names it, and saving the form unchanged keeps it.
    expect(html).toContain("Japan, France");
    const saved = await postForm(t, manage, { countries: ["JP", "FR"], frequency: "daily", deliveryTime: "07:00", timeZone: "Europe/Paris" });
    expect(saved.status).toBe(303);
    expect((await findSubscriberByEmail(t.database.db, "old@example.com"))!.countries.sort()).toEqual(["FR", "JP"]);
  });
});
