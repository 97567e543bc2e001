// Loads a labelled corpus into a fresh database through the service's real path — foreign articles pushed
// one by one in publication order through POST /api/articles (each push groups the window again), then
// the US articles read as the feeds of tracked US reference outlets by an ingestion run — and reads back
// the stories as GET /api/stories would. Node only (PGlite in memory).
import { openPglite } from "../../db/pglite";
import { migrateDatabase } from "../../db/migrate";
import { recentStories } from "../../db/queries/stories";
import { createApp } from "../app";
import { testConfig } from "../config";
import type { Embedder } from "../embeddings/embedder";
import type { EmbeddingsSettings } from "../ingest/article-embeddings";
import type { Deps } from "../deps";
import type { FeedItem, SourceRecord } from "../feeds/types";
import { runIngestion } from "../ingest/ingest";
import type { FeedLoader } from "../ingest/ingest-source";
import { silentLogger } from "../log";
import type { Mailer } from "../mail/mailer";
import { nodeIngestDeps } from "../node/ingest-deps";
import type { Corpus, CorpusArticle } from "./corpus";
import type { PredictedStory } from "./score";

const API_TOKEN = "eval-stories-token-0123456789abcdef";
const noMailer: Mailer = {
  sendBatch: async () => {
    throw new Error("the editorial evaluation sends no email");
  },
};

export interface LoadedCorpus {
  stories: PredictedStory[];
  /** Articles the service refused, with its reason. */
  refused: Array<{ id: string; reason: string }>;
  /** The "overlooked" reason of the story holding each article. */
  reasons: Map<string, string>;
  ms: number;
  /** With an embedder: texts it embedded and requests that failed (those articles were grouped lexically). */
  embeddings: { texts: number; failures: number } | null;
}

/** Optional semantic embeddings for the run (`eval:stories -- --embeddings`): the model and its settings. */
export interface EvalEmbeddings {
  embedder: Embedder;
  settings: EmbeddingsSettings;
}

/**
 * `order`: the order the foreign articles are pushed in — publication order (as the news app pushes), or
 * its reverse (to measure how much arrival order changes the stories). Each push's clock is its article's
 * publication time either way, so nothing is refused for being "in the future".
 */
export async function loadCorpusThroughService(corpus: Corpus, order: "published" | "reversed" = "published", embeddings: EvalEmbeddings | null = null): Promise<LoadedCorpus> {
  const started = performance.now();
  const database = await openPglite(null);
  try {
    await migrateDatabase(database);
    const byTime = [...corpus.articles].sort((a, b) => a.published.localeCompare(b.published) || a.id.localeCompare(b.id));
    const last = new Date(byTime[byTime.length - 1]!.published);
    let now = new Date(byTime[0]!.published);
    const counts = { texts: 0, failures: 0 };
    const embedder: Embedder | null = embeddings && {
      ...embeddings.embedder,
      embed: (texts, signal) =>
        embeddings.embedder.embed(texts, signal).then(
          (vectors) => ((counts.texts += texts.length), vectors),
          (error: unknown) => {
            counts.failures++;
            throw error;
          },
        ),
    };
    const deps: Deps = {
      db: database.db,
      dbKind: "pglite",
      config: testConfig({ API_TOKEN, SAMPLE_CONTENT: "off", RETENTION_DAYS: 3650, ...embeddings?.settings }),
      clock: () => now,
      mailer: noMailer,
      log: silentLogger,
      embedder,
    };
    const app = createApp(deps);
    const refused: LoadedCorpus["refused"] = [];
    const foreign = byTime.filter((a) => !a.reference);
    for (const a of order === "published" ? foreign : foreign.reverse()) {
      // In publication order each push happens as its article is published; a backlog pushed newest
      // first is pushed after the last one was.
      now = order === "published" ? new Date(a.published) : last;
      const res = await app.request("/api/articles", {
        method: "POST",
        headers: { Authorization: `Bearer ${API_TOKEN}`, "Content-Type": "application/json" },
        body: JSON.stringify({ articles: [pushedArticle(a)] }),
      });
      const body = (await res.json()) as { results?: Array<{ status: string; reason?: string }>; error?: { message: string } };
      const result = body.results?.[0];
      if (!res.ok || result?.status !== "created") refused.push({ id: a.id, reason: result?.reason ?? body.error?.message ?? `HTTP ${res.status}` });
    }

    // The US outlets' articles, as their feeds: one reference source per outlet, read in one run.
    const us = byTime.filter((a) => a.reference);
    const outlets = [...new Set(us.map((a) => a.outlet))];
    const catalog: SourceRecord[] = outlets.map((outlet, k) => ({
      slug: `us-eval-${k}`,
      name: outlet,
      country: "US",
      homepage: `https://us-eval-${k}.example/`,
      feedUrl: `https://us-eval-${k}.example/feed.xml`,
      language: "en",
      isReference: true,
      isSample: false,
    }));
    const loadFeed: FeedLoader = async (source) => ({
      status: "ok",
      items: us.filter((a) => a.outlet === outlets[Number(source.slug.slice("us-eval-".length))]).map(feedItem),
      etag: null,
      lastModified: null,
    });
    if (us.length > 0) {
      now = new Date(new Date(us[us.length - 1]!.published).getTime() + 60_000);
      const ingestDeps = nodeIngestDeps({ db: database.db, config: deps.config, log: silentLogger, catalog: () => catalog, loadFeed, sampleTranslator: null, embedder });
      await runIngestion(ingestDeps, { now, translator: null });
    }

    const idOfUrl = new Map(corpus.articles.map((a) => [a.url, a.id]));
    const stories = await recentStories(database.db, new Date(0), 100_000);
    const reasons = new Map<string, string>();
    const predicted = stories.map((s) => {
      const ids = s.articles.map((a) => idOfUrl.get(a.url)).filter((id): id is string => id !== undefined);
      for (const id of ids) reasons.set(id, s.overlookedReason);
      return ids;
    });
    return { stories: predicted, refused, reasons, ms: performance.now() - started, embeddings: embedder ? counts : null };
  } finally {
    await database.close();
  }
}

function pushedArticle(a: CorpusArticle) {
  return { url: a.url, title: a.title, summary: a.summary, country: a.country, outlet: a.outlet, language: a.language, published: a.published };
}

function feedItem(a: CorpusArticle): FeedItem {
  return { title: a.title, titleDerived: false, link: a.url, summary: a.summary, published: new Date(a.published), language: "en", author: null, guid: a.url };
}
