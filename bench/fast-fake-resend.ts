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

/**
 * Finds the recipients of a batch body as its chunks arrive, without joining them: joining 3.8 MB per
 * call cost the fake more CPU than everything else it does, on the cores the measured run needs. A `"to":["`
 * or an address split across two chunks is carried over.
 */
export class RecipientScan {
  readonly to: string[] = [];
  length = 0;
  first = -1;
  /** An address begun in an earlier chunk, not yet closed. */
  pending: string | null = null;
  /** The last bytes of the previous chunk that could begin a `"to":["`. */
  private carry: Buffer = Buffer.alloc(0);
  readonly kept: Buffer[] | null;

  constructor(keep: boolean) {
    this.kept = keep ? [] : null;
  }

  push(chunk: Buffer): void {
    if (this.first < 0 && chunk.length > 0) this.first = chunk[0]!;
    this.length += chunk.length;
    this.kept?.push(chunk);
    let from = 0;
    if (this.pending !== null) {
      const end = chunk.indexOf(34 /* " */);
      if (end < 0) {
        this.pending += chunk.toString("utf8");
        return;
      }
      this.to.push(this.pending + chunk.toString("utf8", 0, end));
      this.pending = null;
      from = end + 1;
    } else if (this.carry.length > 0) {
      // A marker straddling the boundary starts inside the carry (the chunk's first bytes alone are too short).
      const window = Buffer.concat([this.carry, chunk.subarray(0, TO.length - 1)]);
      const at = window.indexOf(TO);
      if (at >= 0) from = this.address(chunk, at + TO.length - this.carry.length);
    }
    for (let at = chunk.indexOf(TO, from); at >= 0 && from < chunk.length; at = chunk.indexOf(TO, from)) {
      from = this.address(chunk, at + TO.length);
    }
    if (this.pending !== null) this.carry = Buffer.alloc(0);
    else {
      // What could begin a marker: the unscanned end, over as many (small) chunks as it takes.
      const rest = from === 0 ? Buffer.concat([this.carry, chunk.subarray(Math.max(0, chunk.length - (TO.length - 1)))]) : chunk.subarray(from);
      this.carry = Buffer.from(rest.subarray(Math.max(0, rest.length - (TO.length - 1))));
    }
  }

  /** Reads the address starting at `start`; returns where scanning goes on. */
  private address(chunk: Buffer, start: number): number {
    const end = chunk.indexOf(34 /* " */, start);
    if (end < 0) {
      this.pending = chunk.toString("utf8", start);
      return chunk.length;
    }
    this.to.push(chunk.toString("utf8", start, end));
    return end + 1;
  }
}

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

  const handle = (req: IncomingMessage, res: ServerResponse, scan: RecipientScan) => {
    requests++;
    bytes += scan.length;
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
    const to = scan.to;
    if (to.length === 0 || to.length > 100 || scan.first !== 0x5b /* [ */ || scan.pending !== null) return reply(res, 422, error(422, "validation_error", "Invalid body"));
    if (scan.kept) {
      try {
        const parsed = JSON.parse(Buffer.concat(scan.kept).toString("utf8")) as Array<{ to?: string[]; html?: string }>;
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

  let arrivals = 0;
  const server = createServer((req, res) => {
    // Every parseEvery-th body is also kept whole, to check the scan against a full parse.
    const scan = new RecipientScan(arrivals++ % parseEvery === 0);
    req.on("data", (c: Buffer) => scan.push(c));
    req.on("end", () => handle(req, res, scan));
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
