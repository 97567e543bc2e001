// Confirming, changing, leaving and coming back: the decisions, over db/queries/subscribers.ts and the
// mail queue. Used by the web pages and by the news app's API alike. Subscribing itself (a queued
// request, decided after the answer) is subscribe-requests.ts; what links may do is link-policy.ts.
import { createHash } from "node:crypto";
import type { Deps } from "../deps";
import {
  confirmRequest,
  deleteSubscriber,
  deliveryHistory,
  findSubscriberById,
  isSuppressed,
  transitionSubscriber,
  updateSubscriber,
  type Subscriber,
} from "../../db/queries/subscribers";
import { queueSubscriberMail } from "../../db/queries/mail-queue";
import { hitRateLimit } from "../../db/queries/rate-limits";
import { AppError, tooManyRequests } from "../errors";
import { nextSendAt } from "../digest/schedule";
import type { TokenClaims } from "../tokens";
import type { Preferences } from "./preferences";
import { mailboxMayReceive, queueSubscription } from "./subscribe-requests";

const HOUR = 3600_000;

const hashKey = (s: string) => createHash("sha256").update(s).digest("base64url").slice(0, 22);
const hourWindow = (now: Date) => new Date(Math.floor(now.getTime() / HOUR) * HOUR);

/** The next due instant for an active subscriber with these preferences. */
export function scheduleFrom(prefs: Preferences, now: Date): Date {
  return nextSendAt(prefs, now).at;
}

export function preferencesOf(s: Subscriber): Preferences {
  return {
    countries: s.countries,
    frequency: s.frequency,
    weeklyDay: s.weeklyDay,
    deliveryTime: s.deliveryTime,
    timeZone: s.timeZone,
  };
}

/** Counts one form submission from a client address; over the limit → 429 (says nothing about any address). */
export async function checkIpRateLimit(deps: Deps, scope: string, address: string): Promise<void> {
  const now = deps.clock();
  const count = await hitRateLimit(deps.db, `${scope}:ip:${hashKey(address)}`, hourWindow(now));
  if (count > deps.config.RATE_LIMIT_SUBSCRIBE_PER_HOUR) throw tooManyRequests("Too many attempts from your network. Please try again in an hour.");
}

export type ConfirmResult = "confirmed" | "already-active" | "not-pending";

/**
 * Only a POST gets here: a link scanner opening the email's link confirms nothing. Confirms the request
 * the link was sent for — the subscriber still at the link's token version — and nothing later.
 */
export async function confirmSubscription(deps: Deps, subscriber: Subscriber, claims: Pick<TokenClaims, "version">): Promise<ConfirmResult> {
  if (subscriber.status === "active" || subscriber.status === "paused") return "already-active";
  const now = deps.clock();
  const updated = await confirmRequest(deps.db, subscriber.id, claims.version, { confirmedAt: now, nextSendAt: scheduleFrom(preferencesOf(subscriber), now) }, now);
  return updated ? "confirmed" : "not-pending";
}

export async function changePreferences(deps: Deps, subscriber: Subscriber, prefs: Preferences): Promise<Subscriber> {
  const now = deps.clock();
  const nextSend = subscriber.status === "active" ? scheduleFrom(prefs, now) : subscriber.nextSendAt;
  const updated = await updateSubscriber(deps.db, subscriber.id, { ...prefs, nextSendAt: nextSend }, now);
  if (!updated) throw new AppError(404, "not_found", "This subscription no longer exists.");
  return updated;
}

export async function pauseSubscription(deps: Deps, subscriber: Subscriber): Promise<Subscriber> {
  const now = deps.clock();
  return (await transitionSubscriber(deps.db, subscriber.id, ["active"], { status: "paused", nextSendAt: null }, now)) ?? subscriber;
}

export async function resumeSubscription(deps: Deps, subscriber: Subscriber): Promise<Subscriber> {
  const now = deps.clock();
  const patch = { status: "active" as const, nextSendAt: scheduleFrom(preferencesOf(subscriber), now) };
  return (await transitionSubscriber(deps.db, subscriber.id, ["paused"], patch, now)) ?? subscriber;
}

/** Ends the subscription and every link issued for it (a later subscription starts with new ones). */
export async function unsubscribe(deps: Deps, subscriber: Subscriber): Promise<Subscriber> {
  const now = deps.clock();
  const patch = { status: "unsubscribed" as const, nextSendAt: null, unsubscribedAt: now };
  return (await transitionSubscriber(deps.db, subscriber.id, ["active", "paused", "pending"], patch, now, { endLinks: true })) ?? subscriber;
}

/**
 * Coming back from the page that confirmed the unsubscribe (or from any unsubscribe link of a reader who
 * left): the same request as the subscribe form with the same preferences — a confirmation email, which
 * only the mailbox can act on. Nothing is reactivated from a link.
 */
export async function resubscribe(deps: Deps, subscriber: Subscriber): Promise<"confirmation-sent" | "unchanged"> {
  if (subscriber.status !== "unsubscribed" || (await isSuppressed(deps.db, subscriber.email))) return "unchanged";
  await queueSubscription(deps, subscriber.email, preferencesOf(subscriber));
  return "confirmation-sent";
}

/**
 * "Send me a fresh link": ends every link issued before (those in forwarded or old emails too) and
 * emails a fresh manage link, which opens export and erase for a while. Counts against the mailbox's cap.
 */
export async function requestFreshLink(deps: Deps, subscriber: Subscriber): Promise<"sent" | "not-active"> {
  const now = deps.clock();
  const outcome = await deps.db.transaction(async (tx) => {
    if (!(await mailboxMayReceive(tx, subscriber.email, now))) return "over-cap" as const;
    const bumped = await transitionSubscriber(tx, subscriber.id, ["active", "paused"], {}, now, { endLinks: true });
    if (!bumped) return "not-active" as const;
    await queueSubscriberMail(tx, "fresh-link", bumped.id, bumped.tokenVersion, now);
    return "sent" as const;
  });
  if (outcome === "over-cap") throw tooManyRequests("We've sent this address several emails in the last hour. Please try again later.");
  if (outcome === "sent") deps.mailQueued?.();
  return outcome;
}

export async function eraseSubscriber(deps: Deps, subscriber: Subscriber): Promise<void> {
  await deleteSubscriber(deps.db, subscriber.id);
}

/** Everything we keep about a subscriber, for "export my data". */
export async function exportSubscriberData(deps: Deps, subscriber: Subscriber) {
  const history = await deliveryHistory(deps.db, subscriber.id);
  return {
    exportedAt: deps.clock().toISOString(),
    subscriber: {
      email: subscriber.email,
      status: subscriber.status,
      countries: subscriber.countries,
      frequency: subscriber.frequency,
      weeklyDay: subscriber.weeklyDay,
      deliveryTime: subscriber.deliveryTime,
      timeZone: subscriber.timeZone,
      nextSendAt: subscriber.nextSendAt?.toISOString() ?? null,
      origin: subscriber.origin,
      createdAt: subscriber.createdAt.toISOString(),
      confirmedAt: subscriber.confirmedAt?.toISOString() ?? null,
      unsubscribedAt: subscriber.unsubscribedAt?.toISOString() ?? null,
    },
    deliveries: history.map((d) => ({
      edition: d.edition,
      status: d.status,
      subject: d.subject,
      storyIds: d.storyIds,
      reason: d.reason,
      sentAt: d.sentAt?.toISOString() ?? null,
    })),
  };
}

export { findSubscriberById };
