// Subscribe requests. The form only queues one (the same statement for every address, so its answer
// takes the same time whatever the address's state); the job runner decides it after the answer:
//   new address            → pending, a confirmation
//   pending                → the new preferences and a new confirmation (ending the earlier link), unless
//                            one went out within 2 minutes: then nothing at all changes
//   unsubscribed           → pending, a confirmation (coming back is confirmed from the mailbox)
//   active, paused         → an email with a fresh manage link
//   suppressed, bounced, complained → nothing
// Whatever is sent counts against the mailbox's cap (MAIL_PER_MAILBOX_PER_HOUR, +tag set aside); over it,
// the request changes nothing. Each decision is one transaction, so racing drainers cannot both win.
import { createHash } from "node:crypto";
import type { Db } from "../../db/client";
import { queueSubscribeRequest, turnIntoSubscriberMail, type QueuedMail } from "../../db/queries/mail-queue";
import { hitRateLimit } from "../../db/queries/rate-limits";
import { claimConfirmationRequest, findSubscriberByEmail, insertSubscriber, isSuppressed, type Subscriber } from "../../db/queries/subscribers";
import type { Deps } from "../deps";
import { CONFIRMATION_RESEND_AFTER_MS, MAIL_PER_MAILBOX_PER_HOUR } from "./link-policy";
import { mailboxKey } from "./mailbox";
import type { Preferences } from "./preferences";

const HOUR = 3600_000;
const hashKey = (s: string) => createHash("sha256").update(s).digest("base64url").slice(0, 22);

/** The form's part: queue the request and have it sent after the answer. */
export async function queueSubscription(deps: Deps, email: string, prefs: Preferences): Promise<void> {
  await queueSubscribeRequest(deps.db, email, prefs, deps.clock());
  deps.mailQueued?.();
}

/** Counts one email to this mailbox in the current hour; false when that is over the cap. */
export async function mailboxMayReceive(db: Db, email: string, now: Date): Promise<boolean> {
  const window = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  return (await hitRateLimit(db, `mail:mailbox:${hashKey(mailboxKey(email))}`, window)) <= MAIL_PER_MAILBOX_PER_HOUR;
}

class OverMailboxCap extends Error {}

export interface DecidedMail {
  kind: "confirm" | "manage-link";
  subscriberId: string;
  tokenVersion: number;
  /** The subscriber as the decision left it (what the email shows). */
  subscriber: Subscriber;
}

/**
 * Decides a queued subscribe request. Returns the email the row now stands for (the row was turned into
 * it, in the same transaction as the change it confirms), or null: nothing to send.
 */
export async function decideSubscribeRequest(deps: Deps, row: QueuedMail): Promise<DecidedMail | null> {
  const email = row.email;
  const prefs = row.preferences;
  if (!email || !prefs) return null;
  const now = deps.clock();
  try {
    return await deps.db.transaction(async (tx) => {
      if (await isSuppressed(tx, email)) return null;
      const existing = await findSubscriberByEmail(tx, email);
      let target: Subscriber | undefined;
      let kind: "confirm" | "manage-link";
      if (!existing) {
        // A racing request that inserted first wins; this one is then a repeat within 2 minutes.
        target = await insertSubscriber(tx, { email, status: "pending", ...prefs, confirmationSentAt: now, createdAt: now, updatedAt: now });
        kind = "confirm";
      } else if (existing.status === "active" || existing.status === "paused") {
        target = existing;
        kind = "manage-link";
      } else if (existing.status === "pending" || existing.status === "unsubscribed") {
        target = await claimConfirmationRequest(tx, existing.id, prefs, now, new Date(now.getTime() - CONFIRMATION_RESEND_AFTER_MS));
        kind = "confirm";
      } else {
        return null;
      }
      if (!target) return null;
      if (!(await mailboxMayReceive(tx, email, now))) throw new OverMailboxCap();
      await turnIntoSubscriberMail(tx, row.id, kind, target.id, target.tokenVersion);
      return { kind, subscriberId: target.id, tokenVersion: target.tokenVersion, subscriber: target };
    });
  } catch (error) {
    if (error instanceof OverMailboxCap) return null;
    throw error;
  }
}
