// Sends what the mail queue holds, after the answer: decides queued subscribe requests
// (subscribe-requests.ts) and sends confirmations and manage links. Run by the job runner on Node (right
// after each answer that queued something, and every minute) and by waitUntil and the tick trigger on
// Workers. Several drainers may run at once: each takes disjoint rows under a lease.
//
// A row's email is the same bytes every time it is tried (its links are dated by the row's creation, its
// idempotency key names the subscriber and token version or the row), so a retry after a crash or a
// provider error sends it at most once. An email whose subscriber moved on (a newer request, links
// ended, erased) is dropped: its link would not work.
import { claimQueuedMail, deleteQueuedMail, retryQueuedMailAt, type QueuedMail } from "../../db/queries/mail-queue";
import { findSubscriberById, purgeExpiredRequests, type Subscriber } from "../../db/queries/subscribers";
import { renderConfirmEmail, renderManageLinkEmail, type RenderedEmail } from "../../emails/render-service-email";
import { countryName } from "../countries";
import type { Deps } from "../deps";
import type { OutgoingEmail } from "../mail/mailer";
import { CONFIRM_TOKEN_TTL_MS, freshManageLink, linkFor } from "../tokens";
import { FRESH_LINK_MS } from "./link-policy";
import { describeSchedule } from "./preferences";
import { decideSubscribeRequest } from "./subscribe-requests";

/** A drainer holds a row this long; if it dies, another takes the row after. */
const LEASE_MS = 2 * 60_000;
/** Rows handled at once by one drainer. */
const DRAIN_CONCURRENCY = 4;
/** Tries before a row is given up (logged): a provider refusing this long will not take it. */
const MAX_ATTEMPTS = 8;

export interface DrainOptions {
  /** Rows taken per claim. */
  limit?: number;
  /** Claims before returning (Workers: bounded per invocation). */
  maxRounds?: number;
  /** Also purge requests whose confirmation link expired (the scheduled run does). */
  purge?: boolean;
}

export interface DrainResult {
  sent: number;
  dropped: number;
  retried: number;
}

export async function drainMailQueue(deps: Deps, options: DrainOptions = {}): Promise<DrainResult> {
  const limit = options.limit ?? 50;
  const result: DrainResult = { sent: 0, dropped: 0, retried: 0 };
  if (options.purge) {
    const now = deps.clock();
    const purged = await purgeExpiredRequests(deps.db, new Date(now.getTime() - CONFIRM_TOKEN_TTL_MS), now);
    if (purged.erased + purged.reverted > 0) deps.log.info("expired subscribe requests purged", purged);
  }
  for (let round = 0; round < (options.maxRounds ?? 20); round++) {
    const now = deps.clock();
    const rows = await claimQueuedMail(deps.db, now, new Date(now.getTime() + LEASE_MS), limit);
    // A few at a time: each row waits mostly on the database and the provider, and during a morning run
    // (the same process and pool on Node) one at a time fell tens of seconds behind a burst of sign-ups.
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const row = rows[next++]!;
        result[await handle(deps, row)]++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(DRAIN_CONCURRENCY, rows.length) }, worker));
    if (rows.length < limit) break;
  }
  return result;
}

async function handle(deps: Deps, row: QueuedMail): Promise<keyof DrainResult> {
  let target = row;
  let subscriber: Subscriber | undefined;
  if (row.kind === "subscribe") {
    const decided = await decideSubscribeRequest(deps, row);
    if (!decided) {
      await deleteQueuedMail(deps.db, row.id);
      return "dropped";
    }
    target = { ...row, kind: decided.kind, subscriberId: decided.subscriberId, tokenVersion: decided.tokenVersion, email: null, preferences: null };
    subscriber = decided.subscriber;
  } else if (row.subscriberId) {
    subscriber = await findSubscriberById(deps.db, row.subscriberId);
  }
  const kind = target.kind;
  const wanted = kind === "confirm" ? ["pending"] : ["active", "paused"];
  if (!subscriber || subscriber.tokenVersion !== target.tokenVersion || !wanted.includes(subscriber.status)) {
    await deleteQueuedMail(deps.db, row.id);
    return "dropped";
  }
  const email = await compose(deps, kind, subscriber, target);
  const key = kind === "confirm" ? `confirm-${subscriber.id}-v${subscriber.tokenVersion}` : `manage-${subscriber.id}-${row.id}`;
  const result = await deps.mailer.sendBatch([email], { idempotencyKey: key });
  if (result.kind === "accepted") {
    const outcome = result.outcomes[0];
    if (outcome && !outcome.ok) deps.log.warn("service email refused by the provider", { kind, subscriberId: subscriber.id, error: outcome.error });
    await deleteQueuedMail(deps.db, row.id);
    return outcome?.ok ? "sent" : "dropped";
  }
  if (!result.retryable || row.attempts >= MAX_ATTEMPTS) {
    deps.log.error("service email not sent", { kind, subscriberId: subscriber.id, attempts: row.attempts, error: result.error });
    await deleteQueuedMail(deps.db, row.id);
    return "dropped";
  }
  const wait = result.retryAfterMs ?? Math.min(30 * 60_000, 15_000 * 2 ** (row.attempts - 1));
  await retryQueuedMailAt(deps.db, row.id, new Date(deps.clock().getTime() + wait));
  deps.log.warn("service email to be retried", { kind, subscriberId: subscriber.id, attempts: row.attempts, retryInMs: wait, error: result.error });
  return "retried";
}

async function compose(deps: Deps, kind: QueuedMail["kind"], s: Subscriber, row: QueuedMail): Promise<OutgoingEmail> {
  const { config } = deps;
  const common = { countries: s.countries.map(countryName), schedule: describeSchedule(s), postalAddress: config.POSTAL_ADDRESS };
  const rendered: RenderedEmail =
    kind === "confirm"
      ? await renderConfirmEmail({ ...common, confirmUrl: linkFor(config.publicUrl, config.appSecret, "confirm", s, row.createdAt) })
      : await renderManageLinkEmail({
          ...common,
          manageUrl: freshManageLink(config.publicUrl, config.appSecret, s, row.createdAt),
          reason: kind === "fresh-link" ? "fresh-link" : "subscribe-form",
          freshForHours: FRESH_LINK_MS / 3600_000,
        });
  return { from: config.MAIL_FROM, to: s.email, ...rendered, ...(config.MAIL_REPLY_TO ? { replyTo: config.MAIL_REPLY_TO } : {}) };
}
