// Picks the configured embedding model: EMBEDDINGS_URL (any OpenAI-compatible endpoint) if set, else the
// Workers AI binding where there is one, else none — grouping is then lexical only.
import type { Config } from "../config";
import type { Embedder } from "./embedder";
import { createOpenAiEmbedder } from "./openai-embedder";
import { createWorkersAiEmbedder, WORKERS_AI_DEFAULT_MODEL, type WorkersAi } from "./workers-ai-embedder";

type EmbeddingsConfig = Pick<Config, "EMBEDDINGS_URL" | "EMBEDDINGS_API_KEY" | "EMBEDDINGS_MODEL">;

export function createEmbedder(config: EmbeddingsConfig, runtime: { fetch?: typeof fetch; ai?: WorkersAi | null } = {}): Embedder | null {
  if (config.EMBEDDINGS_URL) {
    // buildConfig refuses EMBEDDINGS_URL without EMBEDDINGS_MODEL.
    return createOpenAiEmbedder({
      url: config.EMBEDDINGS_URL,
      model: config.EMBEDDINGS_MODEL ?? "",
      ...(config.EMBEDDINGS_API_KEY ? { apiKey: config.EMBEDDINGS_API_KEY } : {}),
      ...(runtime.fetch ? { fetch: runtime.fetch } : {}),
    });
  }
  if (runtime.ai) return createWorkersAiEmbedder(runtime.ai, config.EMBEDDINGS_MODEL ?? WORKERS_AI_DEFAULT_MODEL);
  return null;
}
