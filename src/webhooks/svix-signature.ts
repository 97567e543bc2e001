// Svix-style webhook signatures, as Resend sends them. Pure (node:crypto only).
//   signed content: `${svix-id}.${svix-timestamp}.${raw body}`, HMAC-SHA256 with the secret's key
//   (RESEND_WEBHOOK_SECRET = "whsec_" + base64 key); `svix-signature` holds one or more space-separated
//   "v1,<base64>" entries (several during a secret rotation). Timestamps more than 5 minutes from now are
//   refused (replay), and the comparison is constant-time.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export interface SvixHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret;
  return Buffer.from(b64, "base64");
}

export function signPayload(secret: string, id: string, timestamp: string, body: string): string {
  return createHmac("sha256", secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
}

export function verifySvixSignature(secret: string, headers: SvixHeaders, body: string, now: Date): SignatureCheck {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: "missing svix-id, svix-timestamp or svix-signature" };
  if (id.length > 256 || signature.length > 4096) return { ok: false, reason: "malformed signature headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed svix-timestamp" };
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > SIGNATURE_TOLERANCE_SECONDS) return { ok: false, reason: "svix-timestamp is too far from now" };
  const expected = Buffer.from(signPayload(secret, id, timestamp, body), "base64");
  for (const entry of signature.split(" ")) {
    const [version, value] = entry.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: "no matching signature" };
}
