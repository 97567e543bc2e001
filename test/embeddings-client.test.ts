// The embedding clients and their settings: an OpenAI-compatible endpoint over real HTTP (a local server
// speaking the contract), the Workers AI binding (a fake env.AI), and the configuration's messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConfig, ConfigError, parseEnv } from "../src/config";
import { createEmbedder } from "../src/embeddings/create-embedder";
import { EmbeddingError } from "../src/embeddings/embedder";
import { createOpenAiEmbedder } from "../src/embeddings/openai-embedder";
import { createWorkersAiEmbedder, type WorkersAi } from "../src/embeddings/workers-ai-embedder";
import { workerSetup, type WorkerEnv } from "../src/worker/setup";
import { hashedVector, startEmbeddingsServer, type EmbeddingsServer } from "./helpers/embeddings-server";

const KEY = "sk-test-embeddings-key-0123456789";
let server: EmbeddingsServer;
beforeAll(async () => {
  server = await startEmbeddingsServer({ apiKey: KEY });
});
afterAll(() => server.close());

describe("OpenAI-compatible embeddings endpoint", () => {
  it("posts {model, input} with the key as a bearer token and returns one vector per text, in order", async () => {
    const embedder = createOpenAiEmbedder({ url: server.url, model: "bge-m3", apiKey: KEY });
    const vectors = await embedder.embed(["Quake hits Ecuador", "Floods in Nairobi"]);
    expect(vectors).toEqual([hashedVector("Quake hits Ecuador"), hashedVector("Floods in Nairobi")]);
    const request = server.requests.at(-1)!;
    expect(request.model).toBe("bge-m3");
    expect(request.input).toEqual(["Quake hits Ecuador", "Floods in Nairobi"]);
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("sends no Authorization header without a key (a local Ollama or llama.cpp server)", async () => {
    const open = await startEmbeddingsServer();
    try {
      await createOpenAiEmbedder({ url: open.url, model: "nomic-embed-text" }).embed(["a"]);
      expect(open.requests[0]!.headers.authorization).toBeUndefined();
    } finally {
      await open.close();
    }
  });

  it("puts vectors answered out of order back in the texts' order (by their index)", async () => {
    server.script.push({ data: [{ index: 1, embedding: [0, 1] }, { index: 0, embedding: [1, 0] }] });
    expect(await createOpenAiEmbedder({ url: server.url, model: "m", apiKey: KEY }).embed(["x", "y"])).toEqual([[1, 0], [0, 1]]);
  });

  it("refuses an error status, a body that is not JSON, a wrong count and a wrong shape, never naming the key", async () => {
    const embedder = createOpenAiEmbedder({ url: server.url, model: "m", apiKey: KEY });
    const failure = async () => {
      const error = await embedder.embed(["x", "y"]).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(EmbeddingError);
      expect((error as Error).message).not.toContain(KEY);
      return (error as Error).message;
    };
    server.script.push({ status: 500 });
    expect(await failure()).toBe("embeddings: HTTP 500");
    server.script.push({ raw: "<html>Bad gateway</html>" });
    expect(await failure()).toBe("embeddings: the answer is not JSON");
    server.script.push({ data: [{ index: 0, embedding: [1, 0] }] });
    expect(await failure()).toBe("embeddings: expected 2 vectors, got 1");
    server.script.push({ data: [{ index: 0, embedding: [1, 0] }, { index: 1, embedding: [1, "x"] }] });
    expect(await failure()).toMatch(/a vector is not a list of 2 numbers/);
    server.script.push({ raw: JSON.stringify({ error: "overloaded" }) });
    expect(await failure()).toBe("embeddings: no data list in the answer");
    expect(await createOpenAiEmbedder({ url: server.url, model: "m", apiKey: "wrong" }).embed(["x"]).catch((e: Error) => e.message)).toBe("embeddings: HTTP 401");
  });

  it("names a server that cannot be reached as an embeddings failure", async () => {
    const closed = await startEmbeddingsServer();
    await closed.close();
    await expect(createOpenAiEmbedder({ url: closed.url, model: "m" }).embed(["x"])).rejects.toThrow(/^embeddings: /);
  });

  it("stops waiting when the caller's deadline fires", async () => {
    server.script.push({ hang: true });
    const started = Date.now();
    const error = await createOpenAiEmbedder({ url: server.url, model: "m", apiKey: KEY })
      .embed(["x"], AbortSignal.timeout(150))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("Workers AI binding", () => {
  const fakeAi = (answer: (model: string, texts: string[]) => unknown) => {
    const calls: Array<{ model: string; text: string[] }> = [];
    const ai: WorkersAi = {
      async run(model, inputs) {
        calls.push({ model, text: inputs.text });
        return answer(model, inputs.text);
      },
    };
    return { ai, calls };
  };

  it("runs the multilingual default model with {text: [...]} and reads {data}", async () => {
    const { ai, calls } = fakeAi((_, texts) => ({ shape: [texts.length, 2], data: texts.map((t) => [t.length, 1]) }));
    const embedder = createWorkersAiEmbedder(ai);
    expect(embedder.model).toBe("@cf/baai/bge-m3");
    expect(await embedder.embed(["abc", "de"])).toEqual([[3, 1], [2, 1]]);
    expect(calls).toEqual([{ model: "@cf/baai/bge-m3", text: ["abc", "de"] }]);
  });

  it("turns a binding error or a malformed answer into an EmbeddingError", async () => {
    await expect(createWorkersAiEmbedder(fakeAi(() => Promise.reject(new Error("3040: capacity exceeded"))).ai).embed(["x"])).rejects.toThrow("workers-ai: 3040: capacity exceeded");
    await expect(createWorkersAiEmbedder(fakeAi(() => ({ data: [] })).ai).embed(["x"])).rejects.toThrow("workers-ai: expected 1 vectors, got 0");
  });

  it("gives up at the deadline even when the binding never answers", async () => {
    const never = fakeAi(() => new Promise(() => {}));
    await expect(createWorkersAiEmbedder(never.ai).embed(["x"], AbortSignal.timeout(50))).rejects.toThrow();
  });

  const base: WorkerEnv = {
    NODE_ENV: "production",
    PUBLIC_URL: "https://digest.example.com",
    APP_SECRET: "worker-setup-secret-worker-setup-secret-01",
    RESEND_API_KEY: "re_key",
    HYPERDRIVE: { connectionString: "postgres://user:pw@hyperdrive.local:5432/db" },
  };

  it("is what the Worker uses with the AI binding; EMBEDDINGS_URL wins over it; neither: lexical only", () => {
    const { ai } = fakeAi(() => ({ data: [] }));
    expect(workerSetup(base).embedder).toBeNull();
    const withBinding = workerSetup({ ...base, AI: ai }).embedder!;
    expect([withBinding.name, withBinding.model]).toEqual(["workers-ai", "@cf/baai/bge-m3"]);
    expect(workerSetup({ ...base, AI: ai, EMBEDDINGS_MODEL: "@cf/baai/bge-large-en-v1.5" }).embedder!.model).toBe("@cf/baai/bge-large-en-v1.5");
    const viaUrl = workerSetup({ ...base, AI: ai, EMBEDDINGS_URL: "https://api.openai.com/v1/embeddings", EMBEDDINGS_MODEL: "text-embedding-3-small", EMBEDDINGS_API_KEY: KEY }).embedder!;
    expect([viaUrl.name, viaUrl.model]).toEqual(["openai-compatible", "text-embedding-3-small"]);
  });
});

describe("embeddings settings", () => {
  const problem = (env: Record<string, string>): string => {
    try {
      buildConfig(parseEnv({ NODE_ENV: "test", ...env }), "x".repeat(40));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("expected a ConfigError");
  };

  it("are off by default, with documented defaults for the rest", () => {
    const config = buildConfig(parseEnv({ NODE_ENV: "test" }), "x".repeat(40));
    expect(createEmbedder(config)).toBeNull();
    expect([config.EMBEDDINGS_TIMEOUT_MS, config.EMBEDDINGS_PER_RUN, config.EMBEDDINGS_WEIGHT, config.EMBEDDINGS_MIDPOINT]).toEqual([10_000, 500, 6, 0.6]);
  });

  it("name the bad setting: a URL that is not http(s), a URL without a model, numbers out of range", () => {
    expect(problem({ EMBEDDINGS_URL: "localhost:11434/v1/embeddings", EMBEDDINGS_MODEL: "bge-m3" })).toMatch(/EMBEDDINGS_URL: expects an http\(s\) URL/);
    expect(problem({ EMBEDDINGS_URL: "ftp://models.example/v1/embeddings", EMBEDDINGS_MODEL: "bge-m3" })).toMatch(/EMBEDDINGS_URL: expects an http\(s\) URL/);
    expect(problem({ EMBEDDINGS_URL: "http://localhost:11434/v1/embeddings" })).toMatch(/EMBEDDINGS_MODEL: required with EMBEDDINGS_URL/);
    expect(problem({ EMBEDDINGS_TIMEOUT_MS: "5" })).toMatch(/EMBEDDINGS_TIMEOUT_MS: expects a whole number from 100 to 120000/);
    expect(problem({ EMBEDDINGS_MIDPOINT: "2" })).toMatch(/EMBEDDINGS_MIDPOINT: expects a number from -1 to 1/);
  });

  it("a configured endpoint is an OpenAI-compatible client of that model", () => {
    const config = buildConfig(parseEnv({ NODE_ENV: "test", EMBEDDINGS_URL: "http://localhost:11434/v1/embeddings", EMBEDDINGS_MODEL: "bge-m3" }), "x".repeat(40));
    expect(createEmbedder(config)).toMatchObject({ name: "openai-compatible", model: "bge-m3" });
  });
});
