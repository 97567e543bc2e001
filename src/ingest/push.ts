// Articles pushed by the news app (already in English) take the same way in as feed items: insert
// (deduplicated by canonical URL), then cluster and score.
import type { Db } from "../../db/client";
import { articleIdsByUrl, type NewArticle } from "../../db/queries/articles";
import type { Clock } from "../clock";
import type { Config } from "../config";
import type { Embedder } from "../embeddings/embedder";
import { silentLogger, type Logger } from "../log";
import { embedWindowArticles, groupingEmbeddings } from "./article-embeddings";
import { clusterPendingArticles, type ClusterSummary } from "./cluster-stories";
import type { PushedArticle } from "./pushed-article";
import { storeArticles } from "./store-articles";

export interface PushOutcome {
  status: "created" | "duplicate";
  /** The article's id (for a duplicate, the stored one's; absent only if it vanished meanwhile). */
  id?: number;
}

export async function ingestPushedArticles(
  deps: { db: Db; clock: Clock; config?: Config; log?: Logger; embedder?: Embedder | null },
  items: PushedArticle[],
): Promise<{ outcomes: PushOutcome[]; clustering: ClusterSummary }> {
  const now = deps.clock();
  const rows: NewArticle[] = items.map((a) => ({
    sourceId: null,
    url: a.url,
    guid: null,
    title: a.title,
    summary: a.summary,
    originalTitle: a.originalTitle,
    originalSummary: "",
    language: a.language,
    translated: a.language !== "en",
    untranslated: false,
    country: a.country,
    outlet: a.outlet,
    isReference: false,
    isSample: false,
    author: null,
    publishedAt: a.publishedAt,
    fetchedAt: now,
  }));
  const { created } = await storeArticles(deps.db, rows);
  const existing = await articleIdsByUrl(deps.db, items.map((a) => a.url).filter((url) => !created.has(url)));

  // The first item with a URL is the one created; a later item with the same URL is its duplicate.
  const claimed = new Set<string>();
  const outcomes = items.map((a): PushOutcome => {
    const createdId = created.get(a.url);
    if (createdId !== undefined && !claimed.has(a.url)) {
      claimed.add(a.url);
      return { status: "created", id: createdId };
    }
    const id = createdId ?? existing.get(a.url);
    return id === undefined ? { status: "duplicate" } : { status: "duplicate", id };
  });
  if (created.size === 0) return { outcomes, clustering: { articlesPlaced: 0, articlesMoved: 0, storiesCreated: 0, storiesUpdated: 0 } };
  // The meaning measure (optional): vectors for the new articles first, bounded by EMBEDDINGS_TIMEOUT_MS;
  // a failure is logged and the push is grouped lexically.
  const { embedder, config } = deps;
  let meaning = null;
  if (embedder && config) {
    await embedWindowArticles(deps.db, embedder, config, deps.log ?? silentLogger);
    meaning = groupingEmbeddings(embedder, config);
  }
  const clustering = await clusterPendingArticles(deps.db, now, {}, meaning);
  return { outcomes, clustering };
}
