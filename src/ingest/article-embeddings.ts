// The optional meaning measure's shell (src/embeddings/, same-story.ts): before each grouping, vectors
// for the window's articles that have none, stored once per article; at grouping, the window's vectors.
// The provider can fail or be slow: the step then stops, is logged once and counted in the run's summary,
// and grouping goes on with the vectors it has (lexically for the rest). All requests of one step share
// one deadline (EMBEDDINGS_TIMEOUT_MS), so a run never waits longer than that for the provider.
import type { Db } from "../../db/client";
import { articlesWithoutEmbedding, embeddingsOf, saveEmbeddings } from "../../db/queries/article-embeddings";
import { oldestUnclusteredAt } from "../../db/queries/articles";
import type { Config } from "../config";
import type { Embedder } from "../embeddings/embedder";
import type { Logger } from "../log";
import { WINDOW_HOURS } from "../stories/cluster";
import type { GroupingEmbeddings } from "./cluster-stories";

/** Texts per request (OpenAI accepts 2,048; local servers and Workers AI fewer). */
export const EMBED_BATCH = 64;
/**
 * Characters of title and summary sent per article: ~250 tokens, within the 512 of the smallest common
 * models (some servers refuse longer input rather than truncate it). A summary is a paragraph anyway.
 */
const MAX_TEXT = 1_000;
const HOUR = 3_600_000;

export interface EmbeddingSummary {
  /** The model in use, or null when embeddings are off. */
  model: string | null;
  /** Articles given a vector this run. */
  embedded: number;
  /** Requests that failed (the step stops at the first). */
  failures: number;
  /** Why the step stopped early (error, timeout, malformed answer), or null. */
  stoppedBecause: string | null;
}

export type EmbeddingsSettings = Pick<Config, "EMBEDDINGS_TIMEOUT_MS" | "EMBEDDINGS_PER_RUN" | "EMBEDDINGS_WEIGHT" | "EMBEDDINGS_MIDPOINT">;

export function emptyEmbeddingSummary(embedder: Embedder | null | undefined): EmbeddingSummary {
  return { model: embedder?.model ?? null, embedded: 0, failures: 0, stoppedBecause: null };
}

/** What grouping reads with embeddings on: the embedder's model and the meaning measure's settings. */
export function groupingEmbeddings(embedder: Embedder, config: EmbeddingsSettings): GroupingEmbeddings {
  return { model: embedder.model, weight: config.EMBEDDINGS_WEIGHT, midpoint: config.EMBEDDINGS_MIDPOINT };
}

/** Vectors for up to EMBEDDINGS_PER_RUN window articles that have none. Never throws for the provider. */
export async function embedWindowArticles(db: Db, embedder: Embedder, config: EmbeddingsSettings, log: Logger): Promise<EmbeddingSummary> {
  const summary = emptyEmbeddingSummary(embedder);
  const oldest = await oldestUnclusteredAt(db);
  if (!oldest) return summary;
  const pending = await articlesWithoutEmbedding(db, new Date(oldest.getTime() - WINDOW_HOURS * HOUR), embedder.model, config.EMBEDDINGS_PER_RUN);
  if (pending.length === 0) return summary;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`no answer within ${config.EMBEDDINGS_TIMEOUT_MS} ms`)), config.EMBEDDINGS_TIMEOUT_MS);
  try {
    for (let start = 0; start < pending.length; start += EMBED_BATCH) {
      const batch = pending.slice(start, start + EMBED_BATCH);
      let vectors: number[][];
      try {
        vectors = await embedder.embed(batch.map(textOf), deadline.signal);
      } catch (error) {
        summary.failures++;
        // Our own messages name the service and the problem; a key is never part of them.
        summary.stoppedBecause = deadline.signal.aborted ? `timeout: ${(deadline.signal.reason as Error).message}` : error instanceof Error ? error.message : String(error);
        log.warn("embeddings: the provider failed; grouping goes on lexically for the articles without a vector", {
          provider: embedder.name,
          model: embedder.model,
          reason: summary.stoppedBecause,
          embedded: summary.embedded,
          waiting: pending.length - summary.embedded,
        });
        break;
      }
      await saveEmbeddings(db, embedder.model, batch.map((a, k) => ({ articleId: a.id, vector: vectors[k]! })));
      summary.embedded += batch.length;
    }
  } finally {
    clearTimeout(timer);
  }
  return summary;
}

function textOf(article: { title: string; summary: string }): string {
  const text = article.summary ? `${article.title}. ${article.summary}` : article.title;
  return text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
}

// Vectors kept by this process per database (an article's vector never changes; ids are never reused
// within a database): each grouping regroups the whole window and would otherwise read every vector again.
const kept = new WeakMap<Db, { model: string; vectors: Map<number, Float32Array> }>();
const VECTORS_KEPT = 20_000;
const READ_CHUNK = 500;

/**
 * The window's vectors of `model`, unit length, by article id (articles without one are absent). `db` may
 * be a transaction of `owner`, the database the vectors are kept for.
 */
export async function windowEmbeddings(db: Db, ids: number[], model: string, owner: Db = db): Promise<Map<number, Float32Array>> {
  let cache = kept.get(owner);
  if (!cache || cache.model !== model || cache.vectors.size + ids.length > VECTORS_KEPT) kept.set(owner, (cache = { model, vectors: new Map() }));
  const missing = ids.filter((id) => !cache.vectors.has(id));
  // In chunks: a chunk's bytes (hex text on postgres.js) are dropped before the next is read, so memory
  // holds little more than the vectors themselves (a Worker has 128 MB).
  for (let k = 0; k < missing.length; k += READ_CHUNK) {
    for (const [id, vector] of await embeddingsOf(db, missing.slice(k, k + READ_CHUNK), model)) cache.vectors.set(id, unit(vector));
  }
  const out = new Map<number, Float32Array>();
  for (const id of ids) {
    const v = cache.vectors.get(id);
    if (v) out.set(id, v);
  }
  return out;
}

function unit(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  const length = Math.sqrt(norm) || 1;
  return v.map((x) => x / length);
}
