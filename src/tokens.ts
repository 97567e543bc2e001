// Signed links: HMAC-SHA256 over (purpose, subscriber, token version, expiry, extra[, issue time]).
// Nothing is stored per token; bumping the subscriber's tokenVersion revokes every link issued before
// (src/subscriptions/link-policy.ts says when that happens and what each link may do).
import { createHmac, timingSafeEqual } from "node:crypto";
import { hmacKey, hmacSha256, type HmacKey } from "./hmac-sha256";

export const tokenPurposes = ["confirm", "manage", "unsubscribe", "view"] as const;
export type TokenPurpose = (typeof tokenPurposes)[number];

/** Confirmation links expire; the others last until tokenVersion changes (see link-policy.ts). */
export const CONFIRM_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;

export interface TokenClaims {
  purpose: TokenPurpose;
  subscriberId: string;
  version: number;
  /** Expiry in epoch seconds, 0 = none. */
  expiresAt: number;
  /** Extra bound value, e.g. the edition for a view link ("" when none). */
  extra: string;
  /**
   * When the link was issued, in epoch seconds; 0 = not said. Only links emailed on request carry it
   * (a fresh manage link); digest links do not, so the morning run's emails stay byte-identical.
   */
  issuedAt: number;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "malformed" | "bad-signature" | "wrong-purpose" | "expired" };

function sign(secret: string, payload: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

// Signing keys with their HMAC states precomputed: the morning run signs three links per digest, and
// createHmac's set-up per call costs more than the hash (src/hmac-sha256.ts; same signatures).
const signingKeys = new Map<string, HmacKey>();
function signingKey(secret: string): HmacKey {
  let key = signingKeys.get(secret);
  if (!key) {
    if (signingKeys.size >= 8) signingKeys.clear();
    signingKeys.set(secret, (key = hmacKey(secret)));
  }
  return key;
}

export function createToken(secret: string, claims: Omit<TokenClaims, "extra" | "issuedAt"> & { extra?: string; issuedAt?: number }): string {
  const fields: Array<string | number> = [claims.purpose, claims.subscriberId, claims.version, claims.expiresAt, claims.extra ?? ""];
  if (claims.issuedAt) fields.push(claims.issuedAt);
  const payload = Buffer.from(fields.join("|"), "utf8");
  return `${payload.toString("base64url")}.${hmacSha256(signingKey(secret), payload).toString("base64url")}`;
}

/** Verifies signature (constant time), purpose and expiry. Never throws on any input. */
export function verifyToken(secret: string, token: string, purpose: TokenPurpose, now: Date): TokenCheck {
  if (typeof token !== "string" || token.length > 512) return { ok: false, reason: "malformed" };
  const dot = token.indexOf(".");
  if (dot <= 0 || dot !== token.lastIndexOf(".")) return { ok: false, reason: "malformed" };
  const body = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return { ok: false, reason: "malformed" };
  const payload = Buffer.from(body, "base64url").toString("utf8");
  const expected = sign(secret, payload);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad-signature" };
  const parts = payload.split("|");
  if (parts.length !== 5 && parts.length !== 6) return { ok: false, reason: "malformed" };
  const [p, subscriberId, version, expiresAt, extra, issuedAt] = parts as [string, string, string, string, string, string | undefined];
  if (!(tokenPurposes as readonly string[]).includes(p)) return { ok: false, reason: "malformed" };
  if (p !== purpose) return { ok: false, reason: "wrong-purpose" };
  const claims: TokenClaims = {
    purpose: p as TokenPurpose,
    subscriberId,
    version: Number(version),
    expiresAt: Number(expiresAt),
    extra,
    issuedAt: issuedAt === undefined ? 0 : /^[1-9]\d{0,11}$/.test(issuedAt) ? Number(issuedAt) : NaN,
  };
  if (!Number.isInteger(claims.version) || !Number.isInteger(claims.expiresAt) || !Number.isInteger(claims.issuedAt)) return { ok: false, reason: "malformed" };
  if (claims.expiresAt !== 0 && claims.expiresAt * 1000 < now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

/** The links a subscriber's emails carry, built from PUBLIC_URL. */
export interface SubscriberRef {
  id: string;
  tokenVersion: number;
}

export function linkFor(
  publicUrl: string,
  secret: string,
  purpose: TokenPurpose,
  subscriber: SubscriberRef,
  now: Date,
  extra = "",
): string {
  const expiresAt = purpose === "confirm" ? Math.floor((now.getTime() + CONFIRM_TOKEN_TTL_MS) / 1000) : 0;
  const token = createToken(secret, { purpose, subscriberId: subscriber.id, version: subscriber.tokenVersion, expiresAt, extra });
  return `${publicUrl}/${purpose}/${token}`;
}

/** A manage link that says when it was issued: emailed on request, it opens the sensitive actions for a while. */
export function freshManageLink(publicUrl: string, secret: string, subscriber: SubscriberRef, issuedAt: Date): string {
  const token = createToken(secret, { purpose: "manage", subscriberId: subscriber.id, version: subscriber.tokenVersion, expiresAt: 0, issuedAt: Math.max(1, Math.floor(issuedAt.getTime() / 1000)) });
  return `${publicUrl}/manage/${token}`;
}
