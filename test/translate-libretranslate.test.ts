import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLibreTranslator } from "../src/translate/libretranslate";
import { createTranslator } from "../src/translate/create-translator";
import { createSampleTranslator } from "../src/translate/sample-translator";
import { RateLimitedError, TranslationFailedError, chunkTexts, parseRetryAfter } from "../src/translate/translator";
import { fakeEnglish, startTranslationServer, type TranslationServer } from "./helpers/translation-server";

let server: TranslationServer;
let waits: number[];
const sleep = async (ms: number) => {
  waits.push(ms);
};

beforeAll(async () => {
  server = await startTranslationServer({ libreKey: "lt-key" });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
  waits = [];
});

const client = () => createLibreTranslator({ url: server.url, apiKey: "lt-key", sleep, maxRetries: 2, baseDelayMs: 10 });

describe("LibreTranslate client against a local /translate", () => {
  it("sends q as a list with source, target en, format text and the key", async () => {
    const out = await client().translate(["Olá mundo", "Bom dia"], "pt-BR");
    expect(out).toEqual([fakeEnglish("Olá mundo", "pt"), fakeEnglish("Bom dia", "pt")]);
    expect(server.requests[0]!.body).toEqual({ q: ["Olá mundo", "Bom dia"], source: "pt", target: "en", format: "text", api_key: "lt-key" });
  });

  it("chunks long lists", async () => {
    const texts = Array.from({ length: 51 }, (_, i) => `t${i}`);
    expect(await client().translate(texts, "fr")).toHaveLength(51);
    expect(server.requests.map((r) => (r.body.q as string[]).length)).toEqual([50, 1]);
  });

  it("retries after 429 and reports rate-limited when it persists", async () => {
    server.script.push({ status: 429, headers: { "retry-after": "1" } });
    expect(await client().translate(["Hola"], "es")).toEqual([fakeEnglish("Hola", "es")]);
    expect(waits).toEqual([1000]);
    for (let i = 0; i < 5; i++) server.script.push({ status: 429, body: { error: "Slowdown" } });
    await expect(client().translate(["Hola"], "es")).rejects.toBeInstanceOf(RateLimitedError);
  });

  it("reports a 500 with the server's message after retries", async () => {
    for (let i = 0; i < 5; i++) server.script.push({ status: 500, body: { error: "model crashed" } });
    const error = (await client().translate(["Hola"], "es").catch((e: unknown) => e)) as TranslationFailedError;
    expect(error).toBeInstanceOf(TranslationFailedError);
    expect(error.message).toContain("model crashed");
  });

  it("reports a bad key without retrying", async () => {
    const bad = createLibreTranslator({ url: server.url, apiKey: "nope", sleep });
    await expect(bad.translate(["Hola"], "es")).rejects.toBeInstanceOf(TranslationFailedError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("choosing a translator", () => {
  it("prefers DeepL, then LibreTranslate, else none", () => {
    const base = { DEEPL_API_KEY: undefined, DEEPL_BASE_URL: undefined, LIBRETRANSLATE_URL: undefined, LIBRETRANSLATE_API_KEY: undefined };
    expect(createTranslator({ ...base, DEEPL_API_KEY: "k", LIBRETRANSLATE_URL: "http://lt" })?.name).toBe("deepl");
    expect(createTranslator({ ...base, LIBRETRANSLATE_URL: "http://lt" })?.name).toBe("libretranslate");
    expect(createTranslator(base)).toBeNull();
  });
});

describe("helpers", () => {
  it("chunks by count and by size", () => {
    expect(chunkTexts(["a", "b", "c"], 2, 100)).toEqual([["a", "b"], ["c"]]);
    expect(chunkTexts(["aaaa", "bbbb", "c"], 50, 6)).toEqual([["aaaa"], ["bbbb", "c"]]);
    expect(chunkTexts([], 50, 10)).toEqual([]);
  });

  it("reads Retry-After as seconds or as a date", () => {
    const now = new Date("2025-03-01T10:00:00Z");
    expect(parseRetryAfter("5", now)).toBe(5000);
    expect(parseRetryAfter("Sat, 01 Mar 2025 10:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe("sample translator", () => {
  const t = createSampleTranslator({ ja: { "東京で大雨": "Heavy rain in Tokyo" }, "Chuva forte em São Paulo": "Heavy rain in São Paulo" });

  it("looks texts up in flat or per-language tables, ignoring spacing", async () => {
    expect(await t.translate(["東京で大雨", " Chuva  forte em São Paulo ", ""], "ja")).toEqual([
      "Heavy rain in Tokyo",
      "Heavy rain in São Paulo",
      "",
    ]);
  });

  it("fails on a text it does not know rather than pretending", async () => {
    await expect(t.translate(["unknown"], "ja")).rejects.toBeInstanceOf(TranslationFailedError);
  });
});
