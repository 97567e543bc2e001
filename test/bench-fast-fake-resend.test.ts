// The benchmark's fake Resend finds recipients while a body streams in, without joining its chunks: every
// split of a real batch body, at every byte, gives the same recipients as a full JSON parse.
import { describe, expect, it } from "vitest";
import { RecipientScan } from "../bench/fast-fake-resend";
import { batchBody } from "../src/mail/json-body";

const emails = Array.from({ length: 7 }, (_, i) => ({
  from: "World Digest <digest@worlddigest.example>",
  to: `reader-${i}@example.com`,
  subject: `Digest ${i} "to":["quoted"]`,
  html: `<p>${"x".repeat(i * 3)} "to":["not-an-address@example.com"] ${"é水".repeat(i)}</p>`,
  text: `to: ${i}`,
  headers: { "List-Unsubscribe": `<https://worlddigest.example/u/${i}>` },
}));
const body = batchBody(emails);
const expected = (JSON.parse(body.toString("utf8")) as Array<{ to: string[] }>).map((e) => e.to[0]);

function scanIn(pieces: Buffer[]) {
  const scan = new RecipientScan(false);
  for (const p of pieces) scan.push(p);
  return scan;
}

describe("RecipientScan", () => {
  it("finds every recipient of a whole body, and nothing inside the JSON strings", () => {
    const scan = scanIn([body]);
    expect(scan.to).toEqual(expected);
    expect(scan.pending).toBeNull();
    expect(scan.length).toBe(body.length);
  });

  it("gives the same recipients for a body split in two at every byte", () => {
    for (let at = 1; at < body.length; at++) {
      const scan = scanIn([body.subarray(0, at), body.subarray(at)]);
      expect(scan.to, `split at ${at}`).toEqual(expected);
      expect(scan.pending).toBeNull();
    }
  });

  it("and in many small pieces", () => {
    for (const size of [1, 2, 3, 5, 7, 11]) {
      const pieces: Buffer[] = [];
      for (let i = 0; i < body.length; i += size) pieces.push(body.subarray(i, i + size));
      expect(scanIn(pieces).to, `pieces of ${size}`).toEqual(expected);
    }
  });
});
