// Subscribing, confirming, changing and leaving: the decisions, over db/queries/subscribers.ts and the
// Mailer. Used by the web pages and by the news app's API alike.
import { createHash } from "node:crypto";
import type { Deps } from "../deps";
import {
  deleteSubscriber,
  deliveryHistory,
  findSubscriberByEmail,
  findSubscriberById,
  insertSubscriber,
  isSuppressed,
  transitionSubscriber,
  updateSubscriber,
  type Subscriber,
} from "../../db/queries/subscribers";
import { hitRateLimit } from "../../db/queries/rate-limits";
import { countryName } from "../countries";
import { AppError, tooManyRequests } from "../errors";
import { linkFor } from "../tokens";
import { sendOne } from "../mail/mailer";
import { renderConfirmEmail, renderManageLinkEmail } from "../../emails/render-service-email";
import { nextSendAt } from "../digest/schedule";
import { describeSchedule, type Preferences } from "./preferences";

const HOUR = 3600_000;
/** A pending address gets a fresh confirmation at most this often. */
const CONFIRMATION_RESEND_AFTER_MS = 2 * 60_000;
/** Emails (confirmation or manage link) one address can trigger per hour through the form. */
const MAIL_PER_ADDRESS_PER_HOUR = 5;

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

/** Counts one form submission from an IP; over the limit → 429 (says nothing about any address). */
export async function checkIpRateLimit(deps: Deps, scope: string, ip: string): Promise<void> {
  const now = deps.clock();
  const count = await hitRateLimit(deps.db, `${scope}:ip:${hashKey(ip)}`, hourWindow(now));
  if (count > deps.config.RATE_LIMIT_SUBSCRIBE_PER_HOUR) throw tooManyRequests("Too many attempts from your network. Please try again in an hour.");
}

async function addressMayReceiveMail(deps: Deps, email: string): Promise<boolean> {
  const count = await hitRateLimit(deps.db, `mail:address:${hashKey(email)}`, hourWindow(deps.clock()));
  return count <= MAIL_PER_ADDRESS_PER_HOUR;
}

/**
 * The subscribe form. The caller shows the same answer whatever happens here (no enumeration):
 * new or unsubscribed → pending + confirmation; pending → fresh confirmation (rate limited);
 * active or paused → a "manage your subscription" email; suppressed → nothing.
 */
export async function requestSubscription(deps: Deps, email: string, prefs: Preferences): Promise<void> {
  const { db } = deps;
  const now = deps.clock();
  if (await isSuppressed(db, email)) return;
  let subscriber = await findSubscriberByEmail(db, email);
  if (!subscriber) {
    subscriber = await insertSubscriber(db, { email, status: "pending", ...prefs, createdAt: now, updatedAt: now });
    // A racing request inserted the same address first: treat it as pending.
    subscriber ??= await findSubscriberByEmail(db, email);
    if (!subscriber) return;
  }
  switch (subscriber.status) {
    case "bounced":
    case "complained":
      return;
    case "active":
    case "paused":
      if (await addressMayReceiveMail(deps, email)) await sendManageLink(deps, subscriber);
      return;
    case "pending":
    case "unsubscribed": {
      const recent =
        subscriber.status === "pending" &&
        subscriber.confirmationSentAt &&
        now.getTime() - subscriber.confirmationSentAt.getTime() < CONFIRMATION_RESEND_AFTER_MS;
      const updated = await updateSubscriber(db, subscriber.id, { status: "pending", ...prefs, nextSendAt: null }, now);
      if (!updated || recent || !(await addressMayReceiveMail(deps, email))) return;
      await sendConfirmation(deps, updated);
      return;
    }
  }
}

export async function sendConfirmation(deps: Deps, subscriber: Subscriber): Promise<boolean> {
  const now = deps.clock();
  const { config } = deps;
  const confirmUrl = linkFor(config.publicUrl, config.appSecret, "confirm", subscriber, now);
  const rendered = await renderConfirmEmail({
    confirmUrl,
    countries: subscriber.countries.map(countryName),
    schedule: describeSchedule(subscriber),
    postalAddress: config.POSTAL_ADDRESS,
  });
  const outcome = await sendOne(
    deps.mailer,
    { from: config.MAIL_FROM, to: subscriber.email, ...rendered, ...(config.MAIL_REPLY_TO ? { replyTo: config.MAIL_REPLY_TO } : {}) },
    `confirm-${subscriber.id}-${now.getTime()}`,
  );
  if (!outcome.ok) {
    deps.log.warn("confirmation email not accepted", { subscriberId: subscriber.id, error: outcome.error });
    return false;
  }
  await updateSubscriber(deps.db, subscriber.id, { confirmationSentAt: now }, now);
  return true;
}

async function sendManageLink(deps: Deps, subscriber: Subscriber): Promise<void> {
  const now = deps.clock();
  const { config } = deps;
  const rendered = await renderManageLinkEmail({
    manageUrl: linkFor(config.publicUrl, config.appSecret, "manage", subscriber, now),
    countries: subscriber.countries.map(countryName),
    schedule: describeSchedule(subscriber),
    postalAddress: config.POSTAL_ADDRESS,
  });
  const outcome = await sendOne(
    deps.mailer,
    { from: config.MAIL_FROM, to: subscriber.email, ...rendered },
    `manage-${subscriber.id}-${now.getTime()}`,
  );
  if (!outcome.ok) deps.log.warn("manage-link email not accepted", { subscriberId: subscriber.id, error: outcome.error });
}

export type ConfirmResult = "confirmed" | "already-active" | "not-pending";

/** Only a POST gets here: a link scanner opening the email's link confirms nothing. */
export async function confirmSubscription(deps: Deps, subscriber: Subscriber): Promise<ConfirmResult> {
  if (subscriber.status === "active" || subscriber.status === "paused") return "already-active";
  const now = deps.clock();
  const updated = await transitionSubscriber(
    deps.db,
    subscriber.id,
    ["pending"],
    { status: "active", confirmedAt: now, nextSendAt: scheduleFrom(preferencesOf(subscriber), now) },
    now,
  );
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

export async function unsubscribe(deps: Deps, subscriber: Subscriber): Promise<Subscriber> {
  const now = deps.clock();
  const patch = { status: "unsubscribed" as const, nextSendAt: null, unsubscribedAt: now };
  return (await transitionSubscriber(deps.db, subscriber.id, ["active", "paused", "pending"], patch, now)) ?? subscriber;
}

/**
 * Undo an unsubscribe from the page that confirmed it. An address that had confirmed before becomes
 * active again; one that never confirmed gets a fresh confirmation.
 */
export async function resubscribe(deps: Deps, subscriber: Subscriber): Promise<"active" | "confirmation-sent" | "unchanged"> {
  if (subscriber.status !== "unsubscribed" || (await isSuppressed(deps.db, subscriber.email))) return "unchanged";
  const now = deps.clock();
  if (subscriber.confirmedAt) {
    const patch = { status: "active" as const, unsubscribedAt: null, nextSendAt: scheduleFrom(preferencesOf(subscriber), now) };
    await transitionSubscriber(deps.db, subscriber.id, ["unsubscribed"], patch, now);
    return "active";
  }
  const pending = await transitionSubscriber(deps.db, subscriber.id, ["unsubscribed"], { status: "pending", unsubscribedAt: null }, now);
  if (pending) await sendConfirmation(deps, pending);
  return "confirmation-sent";
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
