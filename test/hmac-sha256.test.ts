// The precomputed-key HMAC used to sign links gives node:crypto's HMAC-SHA256, for keys and messages of
// every length around the block boundaries and at random; and tokens made with it still verify.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { hmacKey, hmacSha256 } from "../src/hmac-sha256";
import { createToken, verifyToken } from "../src/tokens";

const reference = (key: Uint8Array | string, message: Uint8Array) => createHmac("sha256", key).update(message).digest();

describe("hmacSha256", () => {
  it("equals createHmac at every length around the 64-byte block", () => {
    for (const keyLength of [0, 1, 32, 63, 64, 65, 100, 200]) {
      const key = Uint8Array.from({ length: keyLength }, (_, i) => (i * 37 + 11) & 255);
      for (let length = 0; length <= 200; length++) {
        const message = Uint8Array.from({ length }, (_, i) => (i * 101 + keyLength) & 255);
        expect(hmacSha256(hmacKey(key), message).equals(reference(key, message)), `key ${keyLength}, message ${length}`).toBe(true);
      }
    }
  });

  it("equals createHmac on random keys (as text, like APP_SECRET) and messages", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 120 }), fc.uint8Array({ maxLength: 300 }), (secret, message) => {
        expect(hmacSha256(hmacKey(secret), message).equals(reference(secret, message))).toBe(true);
      }),
    );
  });

  it("signs tokens that verifyToken (node:crypto) accepts", () => {
    const secret = "a-secret-of-more-than-32-characters-0123456789";
    const token = createToken(secret, { purpose: "view", subscriberId: "5f1c2d3e-0000-4000-8000-000000000001", version: 3, expiresAt: 0, extra: "2026-05-13" });
    const check = verifyToken(secret, token, "view", new Date());
    expect(check).toMatchObject({ ok: true, claims: { subscriberId: "5f1c2d3e-0000-4000-8000-000000000001", version: 3, extra: "2026-05-13" } });
    expect(token.split(".")[1]).toBe(reference(secret, Buffer.from(["view", "5f1c2d3e-0000-4000-8000-000000000001", 3, 0, "2026-05-13"].join("|"))).toString("base64url"));
  });
});
