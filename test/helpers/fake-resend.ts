// A local fake of Resend's sending API (POST /emails/batch and POST /emails) on 127.0.0.1, for the real
// resend SDK to talk to. It records every request, keeps Resend's idempotency rules (same key + same
// body → the stored answer, nothing sent again; same key + another body → 409 invalid_idempotent_request,
// recorded as a violation; same key while the first is still in flight → 409 concurrent_idempotent_requests)
// and can be told to misbehave: 429 with retry-after, 500, hang (with or without having sent), latency,
// or reject chosen addresses (permissive batch validation: { data, errors: [{ index, message }] }).
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  path: string;
  idempotencyKey: string | null;
  batchValidation: string | null;
  authorization: string | null;
  bodyHash: string;
  emails: FakeEmail[];
  /** What the fake answered (0 = never answered). */
  status: number;
}

export interface FakeEmail {
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  reply_to?: string | string[];
}

/** An email the fake "sent" (first processing of a key, or a request without a key). */
export interface SentEmail extends FakeEmail {
  id: string;
  idempotencyKey: string | null;
  /** Hash of the whole request body it came in. */
  bodyHash: string;
}

export type Fault =
  | { kind: "429"; retryAfter?: string }
  | { kind: "500" }
  /** Never answer; `processed`: send the emails and store the key first (the answer is lost on the way). */
  | { kind: "hang"; processed?: boolean };

export interface Violation {
  idempotencyKey: string;
  firstHash: string;
  otherHash: string;
}

export interface FakeResend {
  url: string;
  requests: RecordedRequest[];
  sent: SentEmail[];
  violations: Violation[];
  /** The next requests get these faults, in order (idempotency is not consulted for them). */
  failNext(...faults: Fault[]): void;
  rejectAddress(email: string, message?: string): void;
  setLatency(ms: number): void;
  /** Forgets everything (records, faults, rejections, idempotency store). */
  reset(): void;
  close(): Promise<void>;
}

interface Stored {
  hash: string;
  status: number;
  body: unknown;
}

export async function startFakeResend(options: { latencyMs?: number } = {}): Promise<FakeResend> {
  const requests: RecordedRequest[] = [];
  const sent: SentEmail[] = [];
  const violations: Violation[] = [];
  const faults: Fault[] = [];
  const rejected = new Map<string, string>();
  const store = new Map<string, Stored>();
  const inFlight = new Set<string>();
  const hanging = new Set<ServerResponse>();
  let latencyMs = options.latencyMs ?? 0;
  let seq = 0;

  const answer = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
  const error = (status: number, name: string, message: string) => ({ statusCode: status, name, message });

  /** Sends the emails (records them) and builds Resend's answer. */
  const deliver = (emails: FakeEmail[], key: string | null, hash: string, batch: boolean, permissive: boolean): Stored => {
    const errors: Array<{ index: number; message: string }> = [];
    emails.forEach((e, index) => {
      const to = e?.to?.[0];
      const reason = to === undefined ? "Missing `to` field." : rejected.get(to.toLowerCase());
      if (reason) errors.push({ index, message: reason });
    });
    if (errors.length > 0 && (!batch || !permissive)) {
      return { hash, status: 422, body: error(422, "validation_error", errors[0]!.message) };
    }
    const data: Array<{ id: string }> = [];
    emails.forEach((e, index) => {
      if (errors.some((x) => x.index === index)) return;
      const id = `fake-${++seq}`;
      data.push({ id });
      sent.push({ ...e, id, idempotencyKey: key, bodyHash: hash });
    });
    if (!batch) return { hash, status: 200, body: data[0] };
    return { hash, status: 200, body: permissive ? { data, errors } : { data } };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = (req.url ?? "").split("?")[0]!;
    const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
    const hash = createHash("sha256").update(raw).digest("hex");
    const batch = path === "/emails/batch";
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = null;
    }
    const emails = (batch ? (Array.isArray(parsed) ? parsed : []) : parsed ? [parsed] : []) as FakeEmail[];
    const record: RecordedRequest = {
      path,
      idempotencyKey: key,
      batchValidation: (req.headers["x-batch-validation"] as string | undefined) ?? null,
      authorization: (req.headers.authorization as string | undefined) ?? null,
      bodyHash: hash,
      emails,
      status: 0,
    };
    requests.push(record);
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => {
      record.status = status;
      answer(res, status, body, headers);
    };
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));

    if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) return reply(404, error(404, "not_found", "Not found"));
    if (!record.authorization?.startsWith("Bearer ")) return reply(401, error(401, "missing_api_key", "Missing API key"));
    if (!parsed || (batch && (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 100))) {
      return reply(422, error(422, "validation_error", "Invalid body"));
    }
    const permissive = record.batchValidation === "permissive";

    const fault = faults.shift();
    if (fault?.kind === "429") return reply(429, error(429, "rate_limit_exceeded", "Too many requests"), { "retry-after": fault.retryAfter ?? "1" });
    if (fault?.kind === "500") return reply(500, error(500, "internal_server_error", "Something went wrong"));
    if (fault?.kind === "hang") {
      if (fault.processed) {
        const stored = deliver(emails, key, hash, batch, permissive);
        if (key) store.set(key, stored);
      }
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }

    if (key) {
      const previous = store.get(key);
      if (previous) {
        if (previous.hash !== hash) {
          violations.push({ idempotencyKey: key, firstHash: previous.hash, otherHash: hash });
          return reply(409, error(409, "invalid_idempotent_request", "Same idempotency key used with a different request payload."));
        }
        return reply(previous.status, previous.body);
      }
      if (inFlight.has(key)) return reply(409, error(409, "concurrent_idempotent_requests", "Same idempotency key used while original request is still in progress."));
      inFlight.add(key);
    }
    try {
      const stored = deliver(emails, key, hash, batch, permissive);
      if (key && stored.status < 500) store.set(key, stored);
      return reply(stored.status, stored.body);
    } finally {
      if (key) inFlight.delete(key);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => answer(res, 500, error(500, "fake_error", String(e))));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    violations,
    failNext: (...f) => void faults.push(...f),
    rejectAddress: (email, message = "Invalid `to` field.") => void rejected.set(email.toLowerCase(), message),
    setLatency: (ms) => void (latencyMs = ms),
    reset: () => {
      requests.length = 0;
      sent.length = 0;
      violations.length = 0;
      faults.length = 0;
      rejected.clear();
      store.clear();
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Emails the fake sent per recipient (the check "exactly one each"). */
export function sentPerRecipient(fake: Pick<FakeResend, "sent">): Map<string, SentEmail[]> {
  const map = new Map<string, SentEmail[]>();
  for (const e of fake.sent) {
    const to = (e.to[0] ?? "").toLowerCase();
    let list = map.get(to);
    if (!list) map.set(to, (list = []));
    list.push(e);
  }
  return map;
}
