// Cloudflare Workers AI, through the AI binding ([ai] binding = "AI" in wrangler.toml): no key, no URL,
// billed to the account. env.AI.run(model, {text: [...]}) → {data: number[][]} (bge-m3 answers texts in
// `data`; its query-with-contexts form answers in `response`, accepted too).
import { checkedVectors, EmbeddingError, type Embedder } from "./embedder";

/** Multilingual (100+ languages, 1,024 dimensions): articles arrive translated, but names and terms may not be. */
export const WORKERS_AI_DEFAULT_MODEL = "@cf/baai/bge-m3";

/** The part of the Workers AI binding used here. */
export interface WorkersAi {
  run(model: string, inputs: { text: string[] }, options?: { signal?: AbortSignal }): Promise<unknown>;
}

export function isWorkersAi(value: unknown): value is WorkersAi {
  return typeof value === "object" && value !== null && typeof (value as { run?: unknown }).run === "function";
}

export function createWorkersAiEmbedder(ai: WorkersAi, model = WORKERS_AI_DEFAULT_MODEL): Embedder {
  const service = "workers-ai";
  return {
    name: service,
    model,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      // The binding takes no signal everywhere: the race makes the deadline hold either way.
      const answer = await abortable(ai.run(model, { text: texts }), signal).catch((error: unknown) => {
        if (signal?.aborted) throw error;
        throw new EmbeddingError(`${service}: ${error instanceof Error ? error.message : String(error)}`);
      });
      const out = answer as { data?: unknown; response?: unknown } | null;
      return checkedVectors(service, out?.data ?? out?.response, texts.length);
    },
  };
}

function abortable<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
