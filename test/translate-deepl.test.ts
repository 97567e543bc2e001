import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDeeplTranslator, deeplBaseUrl, deeplSourceLang } from "../src/translate/deepl";
import { QuotaExceededError, RateLimitedError, TranslationFailedError } from "../src/translate/translator";
import { fakeEnglish, startTranslationServer, type TranslationServer } from "./helpers/translation-server";

let server: TranslationServer;
let waits: number[];
const sleep = async (ms: number) => {
  waits.push(ms);
};

beforeAll(async () => {
  server = await startTranslationServer({ deeplKey: "test-key" });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.script.length = 0;
  waits = [];
});

const client = (apiKey = "test-key") => createDeeplTranslator({ apiKey, baseUrl: server.url, sleep, maxRetries: 3, baseDelayMs: 100 });

describe("DeepL endpoint", () => {
  it("uses the free host for keys ending in :fx and the pro host otherwise", () => {
    expect(deeplBaseUrl("abc:fx")).toBe("https://api-free.deepl.com");
    expect(deeplBaseUrl("abc")).toBe("https://api.deepl.com");
    expect(deeplBaseUrl("abc:fx", "http://127.0.0.1:9/")).toBe("http://127.0.0.1:9");
  });

  it("passes languages DeepL knows and lets it detect the others", () => {
    expect(deeplSourceLang("ja")).toBe("JA");
    expect(deeplSourceLang("pt-BR")).toBe("PT");
    expect(deeplSourceLang("no")).toBe("NB");
    expect(deeplSourceLang("fa")).toBeUndefined();
  });
});

describe("DeepL client against a local /v2/translate", () => {
  it("translates a list in order, with the key in the Authorization header and EN-US as target", async () => {
    const out = await client().translate(["東京で地震", "円相場が急落"], "ja");
    expect(out).toEqual([fakeEnglish("東京で地震", "JA"), fakeEnglish("円相場が急落", "JA")]);
    expect(server.requests).toHaveLength(1);
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe("DeepL-Auth-Key test-key");
    expect(req.body).toEqual({ text: ["東京で地震", "円相場が急落"], target_lang: "EN-US", source_lang: "JA" });
  });

  it("omits source_lang for a language DeepL does not list", async () => {
    await client().translate(["سلام"], "fa");
    expect(server.requests[0]!.body).not.toHaveProperty("source_lang");
  });

  it("sends more than 50 texts in chunks of at most 50, keeping the order", async () => {
    const texts = Array.from({ length: 120 }, (_, i) => `Titel ${i}`);
    const out = await client().translate(texts, "de");
    expect(server.requests.map((r) => (r.body.text as string[]).length)).toEqual([50, 50, 20]);
    expect(out).toEqual(texts.map((t) => fakeEnglish(t, "DE")));
  });

  it("waits as told by Retry-After after a 429, then succeeds", async () => {
    server.script.push({ status: 429, headers: { "retry-after": "2" }, body: { message: "Too many requests" } });
    const out = await client().translate(["Hallo"], "de");
    expect(out).toEqual([fakeEnglish("Hallo", "DE")]);
    expect(server.requests).toHaveLength(2);
    expect(waits).toEqual([2000]);
  });

  it("backs off exponentially on 429 without Retry-After and gives up after the bounded retries", async () => {
    for (let i = 0; i < 10; i++) server.script.push({ status: 429 });
    const error = await client().translate(["Hallo"], "de").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(server.requests).toHaveLength(4);
    expect(waits).toEqual([100, 200, 400]);
  });

  it("does not wait for a Retry-After longer than the cap", async () => {
    server.script.push({ status: 429, headers: { "retry-after": "3600" } });
    const error = (await client().translate(["Hallo"], "de").catch((e: unknown) => e)) as RateLimitedError;
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(waits).toEqual([]);
  });

  it("stops at once with a quota error on 456", async () => {
    server.script.push({ status: 456, body: { message: "Quota exceeded" } });
    const error = await client().translate(["Bonjour"], "fr").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect((error as Error).message).toContain("Quota exceeded");
    expect(server.requests).toHaveLength(1);
  });

  it("retries a 500 and succeeds when the server recovers", async () => {
    server.script.push({ status: 500 }, { status: 503 });
    expect(await client().translate(["Hola"], "es")).toEqual([fakeEnglish("Hola", "ES")]);
    expect(server.requests).toHaveLength(3);
  });

  it("fails with the status after repeated 500s", async () => {
    for (let i = 0; i < 10; i++) server.script.push({ status: 500, body: { message: "Internal error" } });
    const error = (await client().translate(["Hola"], "es").catch((e: unknown) => e)) as TranslationFailedError;
    expect(error).toBeInstanceOf(TranslationFailedError);
    expect(error.status).toBe(500);
    expect(server.requests).toHaveLength(4);
  });

  it("does not retry a rejected key, and never puts the key in the message", async () => {
    const error = (await client("wrong-key").translate(["Hola"], "es").catch((e: unknown) => e)) as TranslationFailedError;
    expect(error).toBeInstanceOf(TranslationFailedError);
    expect(error.status).toBe(403);
    expect(error.message).not.toContain("wrong-key");
    expect(server.requests).toHaveLength(1);
  });

  it("rejects an answer with the wrong number of translations", async () => {
    server.script.push({ status: 200, body: { translations: [{ text: "only one" }] } });
    await expect(client().translate(["a", "b"], "de")).rejects.toBeInstanceOf(TranslationFailedError);
  });

  it("fails cleanly when nothing listens", async () => {
    const closed = createDeeplTranslator({ apiKey: "k", baseUrl: "http://127.0.0.1:1", sleep, maxRetries: 1, baseDelayMs: 1 });
    await expect(closed.translate(["a"], "de")).rejects.toBeInstanceOf(TranslationFailedError);
  });
});
