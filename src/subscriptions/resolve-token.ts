// From a link's token to the subscriber it names, or the reason it can't be used.
import type { Deps } from "../deps";
import { findSubscriberById, type Subscriber } from "../../db/queries/subscribers";
import { verifyToken, type TokenClaims, type TokenPurpose } from "../tokens";

export type TokenProblem = "invalid" | "expired" | "gone";
export type Resolved = { ok: true; subscriber: Subscriber; claims: TokenClaims } | { ok: false; problem: TokenProblem };

export async function resolveToken(deps: Deps, token: string, purpose: TokenPurpose): Promise<Resolved> {
  const check = verifyToken(deps.config.appSecret, token, purpose, deps.clock());
  if (!check.ok) return { ok: false, problem: check.reason === "expired" ? "expired" : "invalid" };
  const subscriber = await findSubscriberById(deps.db, check.claims.subscriberId);
  if (!subscriber || subscriber.tokenVersion !== check.claims.version) return { ok: false, problem: "gone" };
  return { ok: true, subscriber, claims: check.claims };
}
