// Any OpenAI-compatible embeddings endpoint: OpenAI itself, Ollama, llama.cpp's server,
// text-embeddings-inference, vLLM... EMBEDDINGS_URL is the full endpoint (e.g.
// https://api.openai.com/v1/embeddings, http://localhost:11434/v1/embeddings): providers put it under
// different prefixes, so nothing is appended. POST {model, input: [...]} → {data: [{index, embedding}]}.
import { checkedVectors, EmbeddingError, type Embedder } from "./embedder";

export interface OpenAiEmbedderOptions {
  url: string;
  model: string;
  /** Sent as Authorization: Bearer; never logged nor put in an error message. */
  apiKey?: string;
  /** Injected in tests; the runtime's fetch otherwise. */
  fetch?: typeof fetch;
}

const SERVICE = "embeddings";

export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  return {
    name: "openai-compatible",
    model: options.model,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      const res = await doFetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
        body: JSON.stringify({ model: options.model, input: texts }),
        ...(signal ? { signal } : {}),
      }).catch((error: unknown) => {
        // The caller's deadline speaks for itself; anything else (refused, reset, DNS) is named as ours.
        if (signal?.aborted) throw error;
        throw new EmbeddingError(`${SERVICE}: ${error instanceof Error ? error.message : String(error)}`);
      });
      if (!res.ok) {
        await res.body?.cancel().catch(() => {});
        throw new EmbeddingError(`${SERVICE}: HTTP ${res.status}`);
      }
      let answer: unknown;
      try {
        answer = await res.json();
      } catch {
        throw new EmbeddingError(`${SERVICE}: the answer is not JSON`);
      }
      const data = (answer as { data?: unknown } | null)?.data;
      if (!Array.isArray(data)) throw new EmbeddingError(`${SERVICE}: no data list in the answer`);
      // Each item says its input's index; servers may answer out of order.
      const byIndex = new Array<unknown>(data.length);
      data.forEach((item: { index?: unknown; embedding?: unknown } | null, k) => {
        const index = typeof item?.index === "number" ? item.index : k;
        byIndex[index] = item?.embedding;
      });
      return checkedVectors(SERVICE, byIndex, texts.length);
    },
  };
}
