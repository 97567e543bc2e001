// A local HTTP server that speaks the DeepL /v2/translate and LibreTranslate /translate contracts, so the
// real clients are tested over real HTTP. Responses can be scripted per request ("429 then success").
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Scripted {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

export interface TranslationServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers for the next requests, in order; when empty, requests are translated normally. */
  script: Scripted[];
  close(): Promise<void>;
}

/** How the fake "translates": deterministic and visible in assertions. */
export const fakeEnglish = (text: string, lang: string) => `[${lang}→en] ${text}`;

export async function startTranslationServer(
  options: { deeplKey?: string; libreKey?: string; dictionary?: Record<string, string> } = {},
): Promise<TranslationServer> {
  const english = (text: string, lang: string) => options.dictionary?.[text] ?? fakeEnglish(text, lang);
  const requests: RecordedRequest[] = [];
  const script: Scripted[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        // left empty: answered 400 below
      }
      requests.push({ path: req.url ?? "", headers: req.headers, body });
      const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { "content-type": "application/json", ...headers });
        res.end(JSON.stringify(payload));
      };
      const next = script.shift();
      if (next) return send(next.status, next.body ?? { message: `scripted ${next.status}` }, next.headers);

      if (req.method === "POST" && req.url === "/v2/translate") {
        if (req.headers.authorization !== `DeepL-Auth-Key ${options.deeplKey ?? "test-key"}`) {
          return send(403, { message: "Wrong endpoint or authorization key" });
        }
        const texts = body.text;
        if (!Array.isArray(texts) || texts.length === 0) return send(400, { message: "Parameter 'text' not specified." });
        if (texts.length > 50) return send(413, { message: "Too many texts in request (max 50)" });
        if (body.target_lang !== "EN-US") return send(400, { message: "Value for 'target_lang' not supported." });
        const lang = typeof body.source_lang === "string" ? body.source_lang : "auto";
        return send(200, {
          translations: texts.map((t) => ({ detected_source_language: lang, text: english(String(t), lang) })),
        });
      }
      if (req.method === "POST" && req.url === "/translate") {
        if (options.libreKey && body.api_key !== options.libreKey) return send(403, { error: "Invalid API key" });
        const q = body.q;
        if (body.target !== "en" || body.format !== "text") return send(400, { error: "Invalid request" });
        const lang = String(body.source);
        if (Array.isArray(q)) return send(200, { translatedText: q.map((t) => english(String(t), lang)) });
        if (typeof q === "string") return send(200, { translatedText: english(q, lang) });
        return send(400, { error: "Invalid request: missing q parameter" });
      }
      send(404, { message: "Not found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
