// A local HTTP server speaking the OpenAI embeddings contract (POST {model, input: [...]} →
// {object: "list", data: [{object: "embedding", index, embedding}], model, usage}), so the real client is
// tested over real HTTP. Vectors are deterministic: from the test's table (`vectorOf`), else words hashed
// into 32 dimensions. Answers can be scripted per request: a status, a raw body, or no answer at all.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedAnswer {
  status?: number;
  /** Sent as is instead of the JSON answer (malformed answers). */
  raw?: string;
  /** The answer's vectors replaced (wrong counts, wrong shapes). */
  data?: unknown;
  /** Never answer (the client's deadline must end the wait). */
  hang?: boolean;
}

export interface EmbeddingsServer {
  /** The full endpoint: EMBEDDINGS_URL. */
  url: string;
  requests: Array<{ headers: IncomingMessage["headers"]; model: unknown; input: string[] }>;
  script: ScriptedAnswer[];
  close(): Promise<void>;
}

/** Words hashed into a few dimensions: the same text gives the same vector, similar texts close ones. */
export function hashedVector(text: string, dimensions = 32): number[] {
  const v = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    let h = 2166136261;
    for (const ch of word) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
    v[(h >>> 0) % dimensions]! += 1;
  }
  return v;
}

export async function startEmbeddingsServer(options: { apiKey?: string; vectorOf?: (text: string) => number[] | undefined } = {}): Promise<EmbeddingsServer> {
  const requests: EmbeddingsServer["requests"] = [];
  const script: ScriptedAnswer[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(typeof body === "string" ? body : JSON.stringify(body));
      };
      let body: { model?: unknown; input?: unknown } = {};
      try {
        body = JSON.parse(raw) as typeof body;
      } catch {
        return send(400, { error: { message: "body is not JSON" } });
      }
      const input = Array.isArray(body.input) ? (body.input as string[]) : typeof body.input === "string" ? [body.input] : [];
      requests.push({ headers: req.headers, model: body.model, input });
      if (req.method !== "POST" || req.url !== "/v1/embeddings") return send(404, { error: { message: "not found" } });
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return send(401, { error: { message: "Incorrect API key provided" } });
      if (typeof body.model !== "string" || input.length === 0) return send(400, { error: { message: "model and input are required" } });
      const next = script.shift();
      if (next?.hang) return void hanging.push(res);
      if (next?.raw !== undefined) return send(next.status ?? 200, next.raw);
      if (next?.status && next.status !== 200) return send(next.status, { error: { message: `scripted ${next.status}` } });
      const data = next?.data ?? input.map((text, index) => ({ object: "embedding", index, embedding: options.vectorOf?.(text) ?? hashedVector(text) }));
      send(200, { object: "list", data, model: body.model, usage: { prompt_tokens: 0, total_tokens: 0 } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/embeddings`,
    requests,
    script,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
