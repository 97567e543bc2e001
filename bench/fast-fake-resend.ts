// A lean local stand-in for Resend's batch endpoint, for the benchmark: it answers at once, with no rate
// limit, and keeps only counts (test/helpers/fake-resend.ts keeps every email, 2.5 GB at 100,000).
// It still checks what matters: the bearer key, 1–100 emails a call, one recipient each, idempotency
// (a key seen before gets its first answer again, nothing counted twice), and that no address receives
// two emails (`duplicates`). Emails are found by scanning for `"to":["` — JSON escapes every quote
// inside strings, so that text only appears as the key itself; one body in `parseEvery` is fully
// JSON.parsed to check the scan agrees.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FastFakeResend {
  url: string;
  /** Emails accepted (first processing of a key). */
  accepted(): number;
  requests(): number;
  /** Requests answered from the idempotency store (same key again). */
  replays(): number;
  /** Addresses that received more than one email since the last reset. */
  duplicates(): number;
  /** Distinct recipients since the last reset. */
  recipients(): number;
  bytes(): number;
  /** Bodies whose full parse disagreed with the scan, or were malformed. */
  malformed(): number;
  reset(): void;
  close(): Promise<void>;
}

const TO = Buffer.from('"to":["');

export async function startFastFakeResend(options: { parseEvery?: number } = {}): Promise<FastFakeResend> {
  const parseEvery = options.parseEvery ?? 50;
  let accepted = 0;
  let requests = 0;
  let replays = 0;
  let duplicates = 0;
  let bytes = 0;
  let malformed = 0;
  let seq = 0;
  const seen = new Set<string>();
  const store = new Map<string, string>();

  const reply = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  };
  const error = (status: number, name: string, message: string) => JSON.stringify({ statusCode: status, name, message });

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    requests++;
    bytes += body.length;
    if (req.method !== "POST" || req.url !== "/emails/batch") return reply(res, 404, error(404, "not_found", "Not found"));
    if (!String(req.headers.authorization ?? "").startsWith("Bearer ")) return reply(res, 401, error(401, "missing_api_key", "Missing API key"));
    const key = req.headers["idempotency-key"];
    if (typeof key === "string") {
      const previous = store.get(key);
      if (previous) {
        replays++;
        return reply(res, 200, previous);
      }
    }
    const to: string[] = [];
    for (let at = body.indexOf(TO); at >= 0; at = body.indexOf(TO, at + TO.length)) {
      const start = at + TO.length;
      const end = body.indexOf(34 /* " */, start);
      to.push(body.toString("utf8", start, end));
    }
    if (to.length === 0 || to.length > 100 || body[0] !== 0x5b /* [ */) return reply(res, 422, error(422, "validation_error", "Invalid body"));
    if (requests % parseEvery === 1) {
      try {
        const parsed = JSON.parse(body.toString("utf8")) as Array<{ to?: string[]; html?: string }>;
        if (parsed.length !== to.length || parsed.some((e, i) => e.to?.[0] !== to[i] || typeof e.html !== "string")) malformed++;
      } catch {
        malformed++;
      }
    }
    const data: string[] = [];
    for (const address of to) {
      if (seen.has(address)) duplicates++;
      else seen.add(address);
      data.push(`{"id":"bench-${++seq}"}`);
    }
    accepted += to.length;
    const answer = `{"data":[${data.join(",")}],"errors":[]}`;
    if (typeof key === "string") store.set(key, answer);
    reply(res, 200, answer);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => handle(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    accepted: () => accepted,
    requests: () => requests,
    replays: () => replays,
    duplicates: () => duplicates,
    recipients: () => seen.size,
    bytes: () => bytes,
    malformed: () => malformed,
    reset: () => {
      accepted = requests = replays = duplicates = bytes = malformed = 0;
      seen.clear();
      store.clear();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
