// Resend's batch request body, built as bytes. A morning batch is 100 emails of ~25 KB HTML: letting the
// SDK JSON.stringify it and undici re-check and re-encode the 3.5 MB string cost ~40 ms a batch, more
// than rendering. Here each email's JSON is concatenated from byte chunks, and the digest renderer hands
// over its HTML and text already as chunks of their JSON encoding (escaped, UTF-8), computed once per
// repeating part (story block, section, frame) instead of once per email.
//
// The bytes are exactly what the SDK would send for the same emails: JSON.stringify of its request shape
// (from, headers, html, reply_to, subject, text, to — in that order, absent fields left out).
// test/mail-json-body.test.ts checks it.
import type { OutgoingEmail } from "./mailer";

export type { EncodedBodies } from "./mailer";

// Characters JSON.stringify escapes (quote, backslash, controls) or may (surrogates, when lone).
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A text's JSON string encoding without the quotes, in UTF-8. */
export function jsonChunk(text: string): Buffer {
  return Buffer.from(NEEDS_ESCAPING.test(text) ? JSON.stringify(text).slice(1, -1) : text, "utf8");
}

/**
 * Chunks kept for a whole run (a renderer's cached parts and values), packed into 64 KB slabs of their
 * own. A small Buffer is otherwise a slice of Node's shared 8 KB pool, and a slice that lives keeps its
 * whole slab alive: the cached chunks, each next to per-email buffers that died, held ~14 MB of slabs in a
 * sending process (heap snapshot, 20,000 digests); one allocation per chunk instead cost an ArrayBuffer
 * object and an allocation each. Everything in an arena lives as long as the arena's owner.
 */
export class ChunkArena {
  private slab = Buffer.allocUnsafeSlow(0);
  private used = 0;

  constructor(private readonly slabSize = 64 * 1024) {}

  /** jsonChunk(text), stored in the arena. */
  jsonChunk(text: string): Buffer {
    const encoded = NEEDS_ESCAPING.test(text) ? JSON.stringify(text).slice(1, -1) : text;
    const length = Buffer.byteLength(encoded, "utf8");
    if (length > this.slabSize / 4) {
      const own = Buffer.allocUnsafeSlow(length);
      own.write(encoded, 0, "utf8");
      return own;
    }
    if (this.used + length > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(this.slabSize);
      this.used = 0;
    }
    const chunk = this.slab.subarray(this.used, this.used + length);
    chunk.write(encoded, 0, "utf8");
    this.used += length;
    return chunk;
  }
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");
let lastFrom: { from: string; json: Buffer } | undefined;
/** Every email of a run comes from the same sender. */
const fromJson = (from: string) => (lastFrom?.from === from ? lastFrom.json : (lastFrom = { from, json: json(from) }).json);
const bytes = (s: string) => Buffer.from(s, "utf8");
const OPEN = bytes("["), COMMA = bytes(","), CLOSE = bytes("]");
const FROM = bytes(`{"from":`), HEADERS = bytes(`,"headers":`), HTML = bytes(`,"html":"`), QUOTE = bytes(`"`);
const REPLY_TO = bytes(`,"reply_to":`), SUBJECT = bytes(`,"subject":`), TEXT = bytes(`,"text":"`), TO = bytes(`","to":[`), END = bytes("]}");

/** The Resend request shape of one email (the SDK's parseEmailToApiOptions, for the fields we use). */
export function resendShape(e: OutgoingEmail): Record<string, unknown> {
  return {
    from: e.from,
    headers: e.headers,
    html: e.html,
    reply_to: e.replyTo,
    subject: e.subject,
    text: e.text,
    to: [e.to],
  };
}

/** Hands each chunk of one email's JSON to `to`, in order: to count its bytes, or to collect them. */
function eachChunk(e: OutgoingEmail, to: (chunk: Uint8Array) => void): void {
  to(FROM);
  to(fromJson(e.from));
  if (e.headers !== undefined) {
    to(HEADERS);
    to(json(e.headers));
  }
  to(HTML);
  if (e.encoded) for (const c of e.encoded.html) to(c);
  else to(jsonChunk(e.html));
  to(QUOTE);
  if (e.replyTo !== undefined) {
    to(REPLY_TO);
    to(json(e.replyTo));
  }
  to(SUBJECT);
  to(json(e.subject));
  to(TEXT);
  if (e.encoded) for (const c of e.encoded.text) to(c);
  else to(jsonChunk(e.text));
  to(TO);
  to(json(e.to));
  to(END);
}

/** Email i of `count`, with the array's bracket or comma before it (and the closing bracket after the last). */
function emailChunks(e: OutgoingEmail, i: number, count: number): Uint8Array[] {
  const chunks: Uint8Array[] = [i === 0 ? OPEN : COMMA];
  eachChunk(e, (c) => chunks.push(c));
  if (i === count - 1) chunks.push(CLOSE);
  return chunks;
}

function emailLength(e: OutgoingEmail, i: number, count: number): number {
  let length = 1 + (i === count - 1 ? 1 : 0);
  eachChunk(e, (c) => (length += c.length));
  return length;
}

function join(chunks: readonly Uint8Array[]): Buffer {
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The body of POST /emails/batch for these emails. */
export function batchBody(emails: readonly OutgoingEmail[]): Buffer {
  return emails.length === 0 ? Buffer.from("[]") : join(emails.flatMap((e, i) => emailChunks(e, i, emails.length)));
}

/**
 * The same body as a stream of one buffer per email, and its length: the 3.5 MB body is never held
 * whole, and fetch() neither copies nor re-encodes it (it copies a Uint8Array body twice). Each email's
 * chunks are gathered when the stream reaches it, not all up front (they would outlive a young-generation
 * collection while the request goes out). A fresh stream per call, so every attempt sends the same bytes.
 */
export function batchStream(emails: readonly OutgoingEmail[]): { contentLength: number; stream: ReadableStream<Uint8Array> } {
  if (emails.length === 0) {
    const empty = Buffer.from("[]");
    return { contentLength: empty.length, stream: new ReadableStream({ start: (c) => (c.enqueue(empty), c.close()) }) };
  }
  let contentLength = 0;
  for (let i = 0; i < emails.length; i++) contentLength += emailLength(emails[i]!, i, emails.length);
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < emails.length) {
        controller.enqueue(join(emailChunks(emails[next]!, next, emails.length)));
        next++;
      } else controller.close();
    },
  });
  return { contentLength, stream };
}
