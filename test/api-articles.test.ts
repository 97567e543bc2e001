import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Hono } from "hono";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { createMemoryMailer } from "./helpers/memory-mailer";
import { testConfig } from "../src/config";
import { silentLogger } from "../src/log";
import type { Deps } from "../src/deps";
import { createApp } from "../src/app";
import { insertMissingSources, recordFetchSuccess } from "../db/queries/sources";

const TOKEN = "push-token-0123456789abcdefghij";
const now = new Date("2025-03-18T12:00:00Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

let database: TestDatabase;
let app: Hono;

beforeAll(async () => {
  database = await createTestDatabase();
  const deps: Deps = {
    db: database.db,
    dbKind: database.kind,
    config: testConfig({ API_TOKEN: TOKEN }),
    clock: () => now,
    mailer: createMemoryMailer(),
    log: silentLogger,
  };
  // The real route table (articles, stories and sources sit beside each other under /api).
  app = createApp(deps);
  // Two tracked US outlets, so reasons can name them.
  await insertMissingSources(database.db, [
    { slug: "us-a", name: "US A", country: "US", homepage: "https://a.example/", feedUrl: "https://a.example/rss", language: "en", isReference: true },
    { slug: "us-b", name: "US B", country: "US", homepage: "https://b.example/", feedUrl: "https://b.example/rss", language: "en", isReference: true },
  ]);
  for (const id of [1, 2]) await recordFetchSuccess(database.db, id, {}, now);
});
afterAll(() => database.drop());

const call = (method: string, path: string, body?: unknown, token = TOKEN) =>
  app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });

const article = (over: Record<string, unknown> = {}) => ({
  url: "https://www.asahi.example/articles/boj-rates?utm_source=app",
  title: "Bank of Japan raises interest rates for the first time in 17 years",
  summary: "The central bank ended its negative interest rate policy.",
  country: "JP",
  outlet: "Asahi Shimbun",
  language: "ja",
  published: hoursAgo(5),
  originalTitle: "日銀、17年ぶり利上げ",
  ...over,
});

describe("POST /api/articles", () => {
  it("needs the bearer token", async () => {
    const res = await call("POST", "/api/articles", { articles: [article()] }, "wrong-token-0123456789abcdefgh");
    expect(res.status).toBe(401);
  });

  it("answers each item on its own, in order: created, duplicate, rejected with the reason", async () => {
    const res = await call("POST", "/api/articles", {
      articles: [
        article(),
        article({ url: "https://www.asahi.example/articles/boj-rates" }),
        article({ url: "javascript:alert(1)" }),
        article({ url: "https://x.example/1", country: "ZZ", published: "yesterday" }),
        "not an object",
        article({
          url: "https://www.lemonde.example/boj",
          title: "Japan's central bank ends negative interest rates after 17 years",
          country: "FR",
          outlet: "Le Monde",
          language: "fr",
          originalTitle: "La Banque du Japon met fin aux taux négatifs",
        }),
      ],
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Array<{ index: number; status: string; id?: number; reason?: string }> };
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, "created"], [1, "duplicate"], [2, "rejected"], [3, "rejected"], [4, "rejected"], [5, "created"],
    ]);
    expect(results[1]!.id).toBe(results[0]!.id);
    expect(results[2]!.reason).toContain("url");
    expect(results[3]!.reason).toContain("country");
    expect(results[3]!.reason).toContain("published");
    expect(results[4]!.reason).toContain("object");
  });

  it("says an already stored article is a duplicate on a later call, with its id", async () => {
    const first = await call("GET", "/api/stories");
    const stored = ((await first.json()) as { stories: Array<{ articles: Array<{ id: number; url: string }> }> }).stories
      .flatMap((s) => s.articles)
      .find((a) => a.url === "https://www.asahi.example/articles/boj-rates")!;
    const res = await call("POST", "/api/articles", { articles: [article()] });
    expect(((await res.json()) as { results: unknown[] }).results).toEqual([{ index: 0, status: "duplicate", id: stored.id }]);
  });

  it("turns HTML in pushed text into plain text", async () => {
    const res = await call("POST", "/api/articles", {
      articles: [article({ url: "https://x.example/html", title: "<b>Floods</b> in <script>alert(1)</script>Porto Alegre", summary: "Rivers <i>burst</i> their banks.", country: "BR", language: "pt", outlet: "Folha" })],
    });
    expect(((await res.json()) as { results: Array<{ status: string }> }).results[0]!.status).toBe("created");
    const stories = ((await (await call("GET", "/api/stories")).json()) as { stories: Array<{ articles: Array<{ url: string; title: string }> }> }).stories;
    const a = stories.flatMap((s) => s.articles).find((x) => x.url === "https://x.example/html")!;
    expect(a.title).toBe("Floods in Porto Alegre");
  });

  it("drops bidi overrides and isolates from pushed text on the way in (issue 15)", async () => {
    const res = await call("POST", "/api/articles", {
      articles: [
        article({ url: "https://x.example/bidi", title: "Election \u202egnp.exe\u202c result in \u2066Lagos\u2069", summary: "Turnout \u202dwas\u202c high.", originalTitle: "\u202bأخبار\u202c", outlet: "\u202eHerald", country: "NG", language: "en" }),
      ],
    });
    expect(((await res.json()) as { results: Array<{ status: string }> }).results[0]!.status).toBe("created");
    const stories = ((await (await call("GET", "/api/stories")).json()) as { stories: Array<{ articles: Array<{ url: string; title: string; summary: string; originalTitle: string; outlet: string }> }> }).stories;
    const a = stories.flatMap((s) => s.articles).find((x) => x.url === "https://x.example/bidi")!;
    expect(a.title).toBe("Election gnp.exe result in Lagos");
    expect(a.summary).toBe("Turnout was high.");
    expect(a.originalTitle).toBe("أخبار");
    expect(a.outlet).toBe("Herald");
  });

  it("refuses publication dates PostgreSQL cannot store or that are no calendar date, naming the field (issue 15)", async () => {
    const res = await call("POST", "/api/articles", {
      articles: ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+14:00", "2025-02-30T08:00:00Z", "+275760-09-13T00:00:00Z"].map((published, i) => article({ url: `https://x.example/date-${i}`, published })),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Array<{ status: string; reason?: string }> };
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect(r.reason).toContain("published");
    }
  });

  it("refuses a body that is not a batch, with a JSON error", async () => {
    for (const body of ["{not json", { articles: "x" }, { articles: [] }, { articles: Array.from({ length: 501 }, () => article()) }]) {
      const res = await call("POST", "/api/articles", body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as { error: { code: string; message: string } };
      expect(json.error.code).toBe("invalid_request");
    }
  });
});

describe("GET /api/stories", () => {
  it("shows pushed articles grouped into a story across countries, with the overlooked reason", async () => {
    const res = await call("GET", "/api/stories?limit=10");
    expect(res.status).toBe(200);
    const { stories } = (await res.json()) as {
      stories: Array<{ title: string; overlookedReason: string; countries: string[]; articles: Array<{ outlet: string; country: string; language: string; url: string; originalTitle: string; reference: boolean }> }>;
    };
    const boj = stories.find((s) => s.articles.some((a) => a.outlet === "Le Monde"))!;
    expect(boj.articles.map((a) => [a.outlet, a.country, a.language])).toEqual([
      ["Asahi Shimbun", "JP", "ja"],
      ["Le Monde", "FR", "fr"],
    ]);
    expect(boj.articles[0]!.url).toBe("https://www.asahi.example/articles/boj-rates");
    expect(boj.articles[0]!.originalTitle).toBe("日銀、17年ぶり利上げ");
    expect(boj.overlookedReason).toBe("Covered by 2 outlets in 2 countries; none of the 2 US outlets we track.");
  });

  it("validates since and limit", async () => {
    expect((await call("GET", "/api/stories?since=soon")).status).toBe(400);
    expect((await call("GET", "/api/stories?limit=0")).status).toBe(400);
    // Issue 15: year 0 passes Date.parse but not PostgreSQL (it answered 500); so do dates that are no
    // calendar date or lie outside what a timestamp holds. 400, naming the field.
    for (const since of ["0000-01-01", "0001-01-01T00:00:00+14:00", "2026-02-30", "2026-04-31T00:00:00Z", "9999-12-31T23:59:59-14:00"]) {
      const res = await call("GET", `/api/stories?since=${encodeURIComponent(since)}`);
      expect(res.status, since).toBe(400);
      expect(((await res.json()) as { error: { fields: Record<string, string> } }).error.fields, since).toHaveProperty("since");
    }
    for (const since of ["0001-01-01", "9999-12-31T23:59:59Z", "2024-02-29", "2026-03-01T10:00:00+05:45"]) {
      expect((await call("GET", `/api/stories?since=${encodeURIComponent(since)}`)).status, since).toBe(200);
    }
    const later = await call("GET", `/api/stories?since=${encodeURIComponent(new Date(now.getTime() + 3_600_000).toISOString())}`);
    expect(((await later.json()) as { stories: unknown[] }).stories).toEqual([]);
  });
});

describe("sources", () => {
  it("lists, adds and edits sources; a new feed URL clears the fetch state", async () => {
    const created = await call("POST", "/api/sources", { name: "Hürriyet Daily", country: "tr", feedUrl: "https://hurriyet.example/rss", language: "tr" });
    expect(created.status).toBe(201);
    const { source } = (await created.json()) as { source: { id: number; slug: string; enabled: boolean; homepage: string } };
    expect(source).toMatchObject({ slug: "tr-hurriyet-daily", enabled: true, homepage: "https://hurriyet.example/" });

    expect((await call("POST", "/api/sources", { name: "Hürriyet Daily", country: "TR", feedUrl: "https://h.example/", language: "tr" })).status).toBe(409);

    const patched = await call("PATCH", `/api/sources/${source.id}`, { enabled: false, name: "Hürriyet" });
    expect(await patched.json()).toMatchObject({ source: { enabled: false, name: "Hürriyet" } });

    const list = (await (await call("GET", "/api/sources")).json()) as { sources: Array<{ slug: string }> };
    expect(list.sources.map((s) => s.slug)).toContain("tr-hurriyet-daily");
  });

  it("rejects bad fields with per-field messages and unknown ids with 404", async () => {
    const res = await call("POST", "/api/sources", { name: "", country: "XX", feedUrl: "ftp://x", language: "??", color: "red" });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { fields: Record<string, string> } };
    expect(Object.keys(error.fields).sort()).toEqual(["color", "country", "feedUrl", "language", "name"]);
    expect((await call("PATCH", "/api/sources/99999", { enabled: true })).status).toBe(404);
    expect((await call("PATCH", "/api/sources/abc", { enabled: true })).status).toBe(404);
    expect((await call("PATCH", "/api/sources/1", { slug: "new" })).status).toBe(400);
  });
});
