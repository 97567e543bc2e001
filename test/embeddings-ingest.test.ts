// Embeddings in ingestion and push, on a real database, against a local server speaking the OpenAI
// embeddings contract (and a fake Workers AI binding): vectors are computed once per article and stored,
// grouping uses them, and whatever the provider does — an error, no answer, a malformed answer, the wrong
// count — the run completes with the lexical stories, the failure logged once and counted, the key never
// logged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq, gte } from "drizzle-orm";
import { articleEmbeddings, articles } from "../db/schema";
import { testConfig, type Config } from "../src/config";
import { createEmbedder } from "../src/embeddings/create-embedder";
import type { Embedder } from "../src/embeddings/embedder";
import { createWorkersAiEmbedder } from "../src/embeddings/workers-ai-embedder";
import type { FeedItem, SourceRecord } from "../src/feeds/types";
import { runIngestion } from "../src/ingest/ingest";
import type { FeedLoader } from "../src/ingest/ingest-source";
import { ingestPushedArticles } from "../src/ingest/push";
import { createLogger, silentLogger } from "../src/log";
import { nodeIngestDeps } from "../src/node/ingest-deps";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { startEmbeddingsServer, type EmbeddingsServer } from "./helpers/embeddings-server";

const KEY = "sk-embeddings-secret-key-0123456789abcdef";
const DAY = 86_400_000;
const base = Date.parse("2026-03-01T12:00:00Z");

/** What the fake model "understands": the quake reports mean one thing, the two tear-gas events two. */
const axis = (k: number) => Array.from({ length: 32 }, (_, i) => (i === k ? 1 : 0));
function vectorOf(text: string): number[] | undefined {
  if (text.includes("Esmeraldas")) return axis(0);
  if (text.includes("protesters")) return axis(1);
  if (text.includes("football")) return axis(2);
  return undefined;
}

/** Four articles: the words keep the two quake reports apart and join the two tear-gas events. */
function stories(tag: string, at: number) {
  const item = (slug: string, title: string, summary: string, country: string, hours: number) => ({
    url: `https://news.example/${tag}/${slug}`,
    title,
    summary,
    country,
    hours,
    publishedAt: new Date(at + hours * 3_600_000),
  });
  return [
    item("quake-a", "Buildings damaged in Esmeraldas as the ground shakes for a minute", "Residents ran into the streets in the night after the quake.", "FR", 0),
    item("quake-b", "Esmeraldas: rescuers search the rubble after the tremor", "A magnitude 6.8 quake struck the coastal province.", "DE", 1),
    item("gas-a", "Tear gas fired at protesters in Nairobi", "Police dispersed crowds marching against the finance bill.", "KE", 0),
    item("gas-b", "Tear gas fired at football fans in Nairobi", "Police dispersed crowds outside the stadium after the derby.", "KE", 20),
  ];
}

let database: TestDatabase;
let server: EmbeddingsServer;
beforeAll(async () => {
  database = await createTestDatabase();
  server = await startEmbeddingsServer({ apiKey: KEY, vectorOf });
});
afterAll(async () => {
  await server.close();
  await database.drop();
});

const config = (over: Partial<Config> = {}) =>
  testConfig({ SAMPLE_CONTENT: "off", RETENTION_DAYS: 3650, EMBEDDINGS_URL: server.url, EMBEDDINGS_MODEL: "fake-m3", EMBEDDINGS_API_KEY: KEY, ...over });

/** The stories of the articles published since `since`, as sorted lists of their URL's last part. */
async function groupsSince(since: number): Promise<string[]> {
  const rows = await database.db
    .select({ url: articles.url, storyId: articles.storyId })
    .from(articles)
    .where(gte(articles.publishedAt, new Date(since)))
    .orderBy(asc(articles.url));
  const byStory = new Map<number | null, string[]>();
  for (const r of rows) byStory.set(r.storyId, [...(byStory.get(r.storyId) ?? []), r.url.split("/").pop()!]);
  return [...byStory.values()].map((g) => g.join(",")).sort();
}

describe("embeddings on the push path", () => {
  it("stores one vector per article, requests it once, and groups with it", async () => {
    const at = base;
    const cfg = config();
    const deps = { db: database.db, clock: () => new Date(at + DAY), config: cfg, log: silentLogger, embedder: createEmbedder(cfg) };
    const before = server.requests.length;
    await ingestPushedArticles(deps, stories("push", at).map((a) => ({ ...a, originalTitle: a.title, outlet: `Outlet ${a.country}`, language: "en" })));
    expect(await groupsSince(at - DAY)).toEqual(["gas-a", "gas-b", "quake-a,quake-b"]);
    const stored = await database.db.select({ model: articleEmbeddings.model }).from(articleEmbeddings);
    expect(stored).toEqual(Array(4).fill({ model: "fake-m3" }));
    expect(server.requests.slice(before).map((r) => r.input.length)).toEqual([4]);
    expect(server.requests.at(-1)!.input).toContain("Tear gas fired at protesters in Nairobi. Police dispersed crowds marching against the finance bill.");

    // Another article in the same window: only its vector is asked for; the window is regrouped with all.
    await ingestPushedArticles(deps, [{ url: "https://news.example/push/later", title: "Aftershocks rattle Esmeraldas", summary: "", originalTitle: "x", country: "EC", outlet: "El Universo", language: "en", publishedAt: new Date(at + 2 * 3_600_000) }]);
    expect(server.requests.slice(before).map((r) => r.input)).toEqual([expect.any(Array), ["Aftershocks rattle Esmeraldas"]]);
    expect(await groupsSince(at - DAY)).toEqual(["gas-a", "gas-b", "later,quake-a,quake-b"]);
  });
});

describe("embeddings in an ingestion run", () => {
  const source: SourceRecord = { slug: "wire-embeddings", name: "Embeddings Wire", country: "GB", homepage: "https://wire.example/", feedUrl: "https://wire.example/feed.xml", language: "en", isReference: false, isSample: false };
  let current: FeedItem[] = [];
  const loadFeed: FeedLoader = async () => ({ status: "ok", items: current, etag: null, lastModified: null });

  async function run(day: number, embedder: Embedder | null, over: Partial<Config> = {}) {
    const at = base + day * DAY;
    current = stories(`run-${day}`, at).map((a) => ({ title: a.title, titleDerived: false, link: a.url, summary: a.summary, published: a.publishedAt, language: "en", author: null, guid: a.url }));
    // The outlet's country stands in for the articles' (one source): the quake pair then shares GB, so
    // this feed's quake reports are joined by the words too; the tear-gas look-alike tells the story.
    const lines: string[] = [];
    const cfg = config(over);
    const deps = nodeIngestDeps({ db: database.db, config: cfg, log: createLogger("debug", (l) => lines.push(l)), catalog: () => [source], loadFeed, sampleTranslator: null, embedder });
    const summary = await runIngestion(deps, { now: new Date(at + DAY), translator: null });
    return { summary, lines, groups: await groupsSince(at - 3_600_000) };
  }

  it("groups with the vectors when the provider answers, and asks again only for new articles", async () => {
    const before = server.requests.length;
    const { summary, groups } = await run(10, createEmbedder(config()));
    expect(summary.embeddings).toEqual({ model: "fake-m3", embedded: 4, failures: 0, stoppedBecause: null });
    expect(groups).toEqual(["gas-a", "gas-b", "quake-a,quake-b"]);
    expect(server.requests.length - before).toBe(1);
  });

  it("without an embedder the same feed groups lexically: the look-alike is joined", async () => {
    const { summary, groups } = await run(20, null);
    expect(summary.embeddings).toEqual({ model: null, embedded: 0, failures: 0, stoppedBecause: null });
    expect(groups).toEqual(["gas-a,gas-b", "quake-a,quake-b"]);
  });

  const failures: Array<[string, { status?: number; raw?: string; data?: unknown; hang?: boolean }, RegExp]> = [
    ["an error status", { status: 500 }, /^embeddings: HTTP 500$/],
    ["no answer before the deadline", { hang: true }, /^timeout: no answer within 300 ms$/],
    ["a body that is not JSON", { raw: "{\"data\": [" }, /^embeddings: the answer is not JSON$/],
    ["the wrong number of vectors", { data: [{ index: 0, embedding: axis(0) }] }, /^embeddings: expected 4 vectors, got 1$/],
  ];
  failures.forEach(([what, answer, reason], k) => {
    it(`completes lexically after ${what}, counting and logging the failure once, without the key`, async () => {
      server.script.push(answer);
      const started = Date.now();
      const { summary, lines, groups } = await run(30 + 10 * k, createEmbedder(config()), { EMBEDDINGS_TIMEOUT_MS: 300 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(summary.embeddings.failures).toBe(1);
      expect(summary.embeddings.embedded).toBe(0);
      expect(summary.embeddings.stoppedBecause).toMatch(reason);
      expect(summary.clustering.articlesPlaced).toBe(4);
      expect(groups).toEqual(["gas-a,gas-b", "quake-a,quake-b"]);
      const warnings = lines.filter((l) => l.includes("embeddings: the provider failed"));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/"level":"warn"/);
      expect(lines.join("\n")).not.toContain(KEY);
      expect(lines.find((l) => l.includes("ingestion finished"))).toContain('"failures":1');
    });
  });

  it("uses the Workers AI binding the same way (a fake env.AI)", async () => {
    const calls: string[][] = [];
    const ai = {
      async run(model: string, inputs: { text: string[] }) {
        expect(model).toBe("@cf/baai/bge-m3");
        calls.push(inputs.text);
        return { shape: [inputs.text.length, 32], data: inputs.text.map((t) => vectorOf(t) ?? axis(31)) };
      },
    };
    const { summary, groups } = await run(80, createWorkersAiEmbedder(ai));
    expect(summary.embeddings).toMatchObject({ model: "@cf/baai/bge-m3", embedded: 4, failures: 0 });
    expect(calls.map((c) => c.length)).toEqual([4]);
    expect(groups).toEqual(["gas-a", "gas-b", "quake-a,quake-b"]);
    const kept = await database.db.select({ model: articleEmbeddings.model }).from(articleEmbeddings).where(eq(articleEmbeddings.model, "@cf/baai/bge-m3"));
    expect(kept).toHaveLength(4);
  });
});
