// From a link's token to the subscriber it names, or the reason it can't be used.
import type { Deps } from "../deps";
import { findSubscriberById, type Subscriber } from "../../db/queries/subscribers";
import { verifyToken, type TokenClaims, type TokenPurpose } from "../tokens";

export type TokenProblem = "invalid" | "expired" | "gone";
export type Resolved = { ok: true; subscriber: Subscriber; claims: TokenClaims } | { ok: false; problem: TokenProblem };
/** `current`: the link is of the subscriber's current token version (no later change ended it). */
export type ResolvedAnyVersion = { ok: true; subscriber: Subscriber; claims: TokenClaims; current: boolean } | { ok: false; problem: TokenProblem };

/** A link that is valid now: signed, unexpired, and not ended by a later token version. */
export async function resolveToken(deps: Deps, token: string, purpose: TokenPurpose): Promise<Resolved> {
  const resolved = await resolveTokenAnyVersion(deps, token, purpose);
  if (!resolved.ok) return resolved;
  if (!resolved.current) return { ok: false, problem: "gone" };
  return { ok: true, subscriber: resolved.subscriber, claims: resolved.claims };
}

/**
 * Also an ended link, for the few answers that are safe whatever the link's version: an unsubscribe link
 * of a reader who has left still says so (a one-click POST may be repeated), and may ask for a
 * confirmation email to come back (which only the mailbox can act on).
 */
export async function resolveTokenAnyVersion(deps: Deps, token: string, purpose: TokenPurpose): Promise<ResolvedAnyVersion> {
  const check = verifyToken(deps.config.appSecret, token, purpose, deps.clock());
  if (!check.ok) return { ok: false, problem: check.reason === "expired" ? "expired" : "invalid" };
  const subscriber = await findSubscriberById(deps.db, check.claims.subscriberId);
  if (!subscriber || subscriber.tokenVersion < check.claims.version) return { ok: false, problem: "gone" };
  return { ok: true, subscriber, claims: check.claims, current: subscriber.tokenVersion === check.claims.version };
}
