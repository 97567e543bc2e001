// The digest queue's messages (Cloudflare Queues): what the Cron Trigger and the consumer send each other.
// Small on purpose — a batch key and its delivery ids, never the email content: the consumer rebuilds the
// emails from the database, so a retry, a duplicate or a message sent again by the sweep all produce the
// identical request. Pure: reading, checking and packing messages, no I/O.
import { z } from "zod";

/** Cloudflare's own binding types need @cloudflare/workers-types; these are the parts we use. */
export interface QueueSendRequest<Body = unknown> {
  body: Body;
  contentType?: "json" | "text" | "bytes" | "v8";
  delaySeconds?: number;
}
export interface DigestQueue {
  send(body: DigestMessage, options?: { contentType?: "json"; delaySeconds?: number }): Promise<unknown>;
  sendBatch(messages: Iterable<QueueSendRequest<DigestMessage>>, options?: { delaySeconds?: number }): Promise<unknown>;
}
export interface QueueMessage {
  readonly id: string;
  readonly body: unknown;
  /** 1 on the first delivery. */
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}
export interface QueueMessageBatch {
  /** The queue's name: the digest queue, or its dead-letter queue. */
  readonly queue: string;
  readonly messages: readonly QueueMessage[];
}

const BATCH_KEY = /^digest-[0-9a-f]{32}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sendSchema = z
  .object({
    kind: z.literal("send"),
    batchKey: z.string().regex(BATCH_KEY),
    deliveries: z.array(z.string().regex(UUID)).min(1).max(100),
  })
  .strict();
const planSchema = z.object({ kind: z.literal("plan") }).strict();
const messageSchema = z.discriminatedUnion("kind", [sendSchema, planSchema]);

/** Send this batch: its key (authoritative) and, for whoever reads the queue, its delivery ids. */
export type SendMessage = z.infer<typeof sendSchema>;
/** More subscribers are due than one invocation plans: plan the next lot. */
export type PlanMessage = z.infer<typeof planSchema>;
export type DigestMessage = SendMessage | PlanMessage;

/** What each field expects, said once per field however many of its items are wrong. */
const EXPECTS: Record<string, string> = {
  kind: 'kind: expects "send" or "plan"',
  batchKey: "batchKey: expects digest- and 32 hex digits",
  deliveries: "deliveries: expects 1 to 100 delivery ids (UUIDs)",
};

/** Checks a message body; a bad one is described (never thrown: the consumer logs it and lets it go). */
export function readMessage(body: unknown): { ok: true; message: DigestMessage } | { ok: false; error: string } {
  const parsed = messageSchema.safeParse(body);
  if (parsed.success) return { ok: true, message: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") return `unexpected field${issue.keys.length === 1 ? "" : "s"}: ${issue.keys.join(", ").slice(0, 200)}`;
    const field = issue.path[0];
    if (typeof field === "string" && EXPECTS[field]) return EXPECTS[field];
    return 'expects a JSON object: { kind: "send", batchKey, deliveries } or { kind: "plan" }';
  });
  return { ok: false, error: [...new Set(problems)].join("; ") };
}

export function sendMessage(batchKey: string, ids: readonly string[]): SendMessage {
  return { kind: "send", batchKey, deliveries: [...ids] };
}

/** Cloudflare's limits on one sendBatch call: 100 messages and 256 KB (we keep a margin for metadata). */
const MAX_PER_CALL = 100;
const MAX_BYTES_PER_CALL = 200_000;

/** Splits messages into sendBatch calls within Cloudflare's limits (a full batch message is ~3.9 KB). */
export function packForSendBatch(messages: readonly DigestMessage[]): QueueSendRequest<DigestMessage>[][] {
  const calls: QueueSendRequest<DigestMessage>[][] = [];
  let current: QueueSendRequest<DigestMessage>[] = [];
  let bytes = 0;
  for (const body of messages) {
    const size = JSON.stringify(body).length + 100;
    if (current.length > 0 && (current.length >= MAX_PER_CALL || bytes + size > MAX_BYTES_PER_CALL)) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ body, contentType: "json" });
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
}

/** How long a message waits before the queue delivers it again: the provider's Retry-After, or backoff. */
export function retryDelaySeconds(attempts: number, firstDelaySeconds: number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil(retryAfterMs / 1000)));
  return Math.min(MAX_DELAY_SECONDS, firstDelaySeconds * 2 ** Math.max(0, attempts - 1));
}
/** A retry is never put off longer than this (Queues allow 12 hours; a digest is late after hours). */
export const MAX_DELAY_SECONDS = 600;
