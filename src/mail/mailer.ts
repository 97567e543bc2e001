// The one interface every email the service sends goes through. Implementations: resend-mailer.ts
// (Resend SDK; production) and outbox-mailer.ts (Node only: .eml files in the data folder).

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  /** May be an accessor (a digest email decodes it from `encoded` when read): read it, do not spread an email. */
  html: string;
  text: string;
  replyTo?: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
  /**
   * Optional, for mailers that send JSON: `html` and `text` as chunks of their JSON string encoding
   * (escaped, UTF-8, no quotes), which concatenated encode exactly `html` and `text`. The digest renderer
   * provides them, computed once per repeating part (src/mail/json-body.ts).
   */
  encoded?: EncodedBodies;
}

export interface EncodedBodies {
  html: readonly Uint8Array[];
  text: readonly Uint8Array[];
}

/** What happened to one email of a batch. */
export type EmailOutcome =
  | { ok: true; id: string }
  /** The provider refused this address/message; retrying will not help. */
  | { ok: false; error: string };

/**
 * The provider's answer to a batch. `accepted`: one outcome per email, in order. Otherwise the whole call
 * failed: `retryable` (429, 5xx, network, timeout; `retryAfterMs` when the provider said) or not.
 */
export type BatchResult =
  | { kind: "accepted"; outcomes: EmailOutcome[] }
  | { kind: "failed"; retryable: boolean; error: string; retryAfterMs?: number; status?: number };

export interface Mailer {
  /** Sends up to 100 emails in one provider call. Never throws for provider or network errors. */
  sendBatch(emails: OutgoingEmail[], options: { idempotencyKey: string }): Promise<BatchResult>;
}

/** Sends one email (a batch of one). */
export async function sendOne(mailer: Mailer, email: OutgoingEmail, idempotencyKey: string): Promise<EmailOutcome> {
  const result = await mailer.sendBatch([email], { idempotencyKey });
  if (result.kind === "accepted") return result.outcomes[0] ?? { ok: false, error: "no answer for the email" };
  return { ok: false, error: result.error };
}
