// The Resend batch body built from bytes is exactly what the SDK would have sent (JSON.stringify of its
// request shape), with or without pre-encoded chunks, for hostile texts too; and the real SDK, pointed at
// the fake Resend, delivers those bytes.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { batchBody, batchStream, jsonChunk, resendShape } from "../src/mail/json-body";
import type { OutgoingEmail } from "../src/mail/mailer";
import { createResendMailer } from "../src/mail/resend-mailer";
import { startFakeResend, type FakeResend } from "./helpers/fake-resend";

const sdkBytes = (emails: OutgoingEmail[]) => Buffer.from(JSON.stringify(emails.map(resendShape)), "utf8");

/** Splits a text at random points (never inside a surrogate pair) and encodes each piece. */
function chunked(text: string, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))]
    .filter((p) => !(p > 0 && /[\ud800-\udbff]/.test(text[p - 1]!) && /[\udc00-\udfff]/.test(text[p] ?? "")))
    .sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of [...points, text.length]) {
    out.push(jsonChunk(text.slice(last, p)));
    last = p;
  }
  return out;
}

const email = (over: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  from: "World Digest <digest@example.com>",
  to: "ana@example.com",
  subject: "3 overlooked stories from 🇯🇵 Japan",
  html: '<!DOCTYPE html><html><body style="color:#111"><a href="https://x.example/?a=1&amp;b=2">Tōkyō “quoted” \\ back</a></body></html>',
  text: "World Digest\n\tTab \u2028 line sep \u0000 nul \ud83c\uddef\ud83c\uddf5",
  headers: { "List-Unsubscribe": "<https://x.example/unsubscribe/t>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
  ...over,
});

describe("batchBody", () => {
  it("is byte for byte what the SDK would send", () => {
    const emails = [email(), email({ to: "b@example.com", replyTo: "reply@example.com" }), email({ headers: undefined })];
    expect(batchBody(emails).equals(sdkBytes(emails))).toBe(true);
  });

  it("gives the same bytes from pre-encoded chunks, whatever the texts and wherever they are cut", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ html: fc.string({ unit: "binary", maxLength: 300 }), text: fc.string({ unit: "grapheme", maxLength: 200 }), subject: fc.string({ maxLength: 80 }) }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (specs, cuts) => {
          const plain = specs.map((s) => email({ html: s.html, text: s.text, subject: s.subject }));
          const encoded = plain.map((e) => ({ ...e, encoded: { html: chunked(e.html, cuts), text: chunked(e.text, cuts) } }));
          const expected = sdkBytes(plain);
          expect(batchBody(plain).equals(expected)).toBe(true);
          expect(batchBody(encoded).equals(expected)).toBe(true);
        },
      ),
    );
  });
});

describe("batchStream", () => {
  it("streams the same bytes, one buffer per email, with the length announced", async () => {
    for (const emails of [[email()], [email(), email({ to: "b@example.com", replyTo: "r@example.com" }), email({ headers: undefined })]]) {
      const { stream, contentLength } = batchStream(emails);
      const parts: Uint8Array[] = [];
      const reader = stream.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) parts.push(r.value);
      expect(parts).toHaveLength(emails.length);
      const body = Buffer.concat(parts);
      expect(body.equals(batchBody(emails))).toBe(true);
      expect(contentLength).toBe(body.length);
    }
  });
});

describe("the Resend mailer", () => {
  let fake: FakeResend;
  beforeAll(async () => {
    fake = await startFakeResend();
  });
  afterAll(() => fake.close());

  for (const streamBody of [false, true]) {
    it(`sends the batch through the SDK with its headers, and the fake receives every email intact (${streamBody ? "streamed, Node" : "one buffer, Workers"})`, async () => {
      fake.reset();
      const mailer = createResendMailer({ apiKey: "re_test", baseUrl: fake.url, streamBody });
      const emails = [email(), email({ to: "b@example.com", encoded: { html: chunked(email().html, [7, 30]), text: chunked(email().text, [3]) } })];
      const result = await mailer.sendBatch(emails, { idempotencyKey: "digest-abc" });
      expect(result.kind).toBe("accepted");
      const [request] = fake.requests;
      expect(request).toMatchObject({ path: "/emails/batch", idempotencyKey: "digest-abc", batchValidation: "permissive", authorization: "Bearer re_test" });
      expect(request!.bodyHash).toBe(createHash("sha256").update(sdkBytes(emails)).digest("hex"));
      expect(fake.sent.map((e) => [e.to, e.subject, e.html, e.text, e.headers])).toEqual(emails.map((e) => [[e.to], e.subject, e.html, e.text, e.headers]));
    });
  }
});
