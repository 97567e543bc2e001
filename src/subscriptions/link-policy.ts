// What a link may do, and for how long. A link names its subscriber, its purpose and the subscriber's
// token version; bumping the version ends every link issued before. README "Security" says the same.
//
// | link        | where it is               | lives                                   | may                                  |
// |-------------|---------------------------|-----------------------------------------|--------------------------------------|
// | confirm     | the confirmation email    | 7 days, and only until the next request | confirm the request it was sent for  |
// | unsubscribe | every digest (and header) | until the version changes               | unsubscribe, pause                   |
// | view        | every digest              | until the version changes               | show that edition (no manage link)   |
// | manage      | every digest              | until the version changes               | settings, pause, resume, unsubscribe |
// | manage, emailed on request | that email | + export, erase, the full address for FRESH_LINK_MS | |
//
// The version changes with every confirmation request (so a confirmation link confirms only the request
// it was sent for), on unsubscribing (the links of a subscription that ended do not come back with the
// next one), and when the reader asks for a fresh link (to end links in forwarded mail). Unsubscribe and
// pause work from any link of the current version however old it is: RFC 8058 one-click, and the law,
// expect an unsubscribe link to keep working. Digest links carry no issue time (the morning's emails stay
// byte-identical) and so never count as fresh: a digest is forwarded, scanned and kept.
import type { TokenClaims } from "../tokens";

/** A manage link emailed on request opens export, erase and the full address for this long. */
export const FRESH_LINK_MS = 24 * 3600_000;
/** A pending address gets a fresh confirmation at most this often (and is otherwise left as it is). */
export const CONFIRMATION_RESEND_AFTER_MS = 2 * 60_000;
/** Emails (confirmation, manage link) one mailbox can be sent per hour through the forms. */
export const MAIL_PER_MAILBOX_PER_HOUR = 5;

/** True when the link says it was issued within FRESH_LINK_MS (and not in the future). */
export function isFreshLink(claims: Pick<TokenClaims, "issuedAt">, now: Date): boolean {
  if (!claims.issuedAt) return false;
  const age = now.getTime() - claims.issuedAt * 1000;
  return age >= -60_000 && age <= FRESH_LINK_MS;
}
