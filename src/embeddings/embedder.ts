// An embedding model behind one call: texts in, one vector each out (same order). Two implementations:
// any OpenAI-compatible /v1/embeddings endpoint (openai-embedder.ts) and the Workers AI binding
// (workers-ai-embedder.ts). Used only to add a meaning measure to story grouping (src/stories/same-story.ts).

export interface Embedder {
  /** For logs and the run summary ("openai-compatible", "workers-ai"). */
  name: string;
  /** Stored with each vector: vectors of different models are never compared. */
  model: string;
  /** One vector per text, in order. Throws EmbeddingError (or an abort error when `signal` fires). */
  embed(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

export class EmbeddingError extends Error {
  override name = "EmbeddingError";
}

/** Checks an answer's vectors: as many as texts, each a non-empty list of finite numbers of one length. */
export function checkedVectors(service: string, vectors: unknown, count: number): number[][] {
  if (!Array.isArray(vectors) || vectors.length !== count) {
    throw new EmbeddingError(`${service}: expected ${count} vectors, got ${Array.isArray(vectors) ? vectors.length : "none"}`);
  }
  const length = Array.isArray(vectors[0]) ? vectors[0].length : 0;
  for (const v of vectors) {
    if (!Array.isArray(v) || v.length === 0 || v.length !== length || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw new EmbeddingError(`${service}: a vector is not a list of ${length || "some"} numbers`);
    }
  }
  return vectors as number[][];
}
