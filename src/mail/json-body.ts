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

function pushAll(out: Uint8Array[], chunks: readonly Uint8Array[]): void {
  for (const c of chunks) out.push(c);
}

function pushEmail(out: Uint8Array[], e: OutgoingEmail): void {
  out.push(FROM, fromJson(e.from));
  if (e.headers !== undefined) out.push(HEADERS, json(e.headers));
  out.push(HTML);
  if (e.encoded) pushAll(out, e.encoded.html);
  else out.push(jsonChunk(e.html));
  out.push(QUOTE);
  if (e.replyTo !== undefined) out.push(REPLY_TO, json(e.replyTo));
  out.push(SUBJECT, json(e.subject), TEXT);
  if (e.encoded) pushAll(out, e.encoded.text);
  else out.push(jsonChunk(e.text));
  out.push(TO, json(e.to), END);
}

/** The JSON of each email of the batch, with the array's brackets and commas, as lists of chunks. */
function emailChunks(emails: readonly OutgoingEmail[]): Uint8Array[][] {
  return emails.map((e, i) => {
    const chunks: Uint8Array[] = [i === 0 ? OPEN : COMMA];
    pushEmail(chunks, e);
    if (i === emails.length - 1) chunks.push(CLOSE);
    return chunks;
  });
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
  return emails.length === 0 ? Buffer.from("[]") : join(emailChunks(emails).flat());
}

/**
 * The same body as a stream of one buffer per email, and its length: the 3.5 MB body is never held
 * whole, and fetch() neither copies nor re-encodes it (it copies a Uint8Array body twice). A fresh stream
 * per call, so every attempt sends the same bytes.
 */
export function batchStream(emails: readonly OutgoingEmail[]): { contentLength: number; stream: ReadableStream<Uint8Array> } {
  const perEmail = emails.length === 0 ? [[Buffer.from("[]")]] : emailChunks(emails);
  let contentLength = 0;
  for (const chunks of perEmail) for (const c of chunks) contentLength += c.length;
  let next = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < perEmail.length) controller.enqueue(join(perEmail[next++]!));
      else controller.close();
    },
  });
  return { contentLength, stream };
}
