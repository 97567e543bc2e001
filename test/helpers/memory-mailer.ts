// A Mailer that keeps what it is given, for route tests that read the emails the service sent.
import type { BatchResult, Mailer, OutgoingEmail } from "../../src/mail/mailer";

export interface MemoryMailer extends Mailer {
  sent: Array<OutgoingEmail & { idempotencyKey: string }>;
  /** The last email to this address. */
  lastTo(address: string): (OutgoingEmail & { idempotencyKey: string }) | undefined;
}

export function createMemoryMailer(): MemoryMailer {
  const sent: MemoryMailer["sent"] = [];
  let n = 0;
  return {
    sent,
    lastTo: (address) => [...sent].reverse().find((e) => e.to === address),
    async sendBatch(emails, { idempotencyKey }): Promise<BatchResult> {
      // html and text by name: a digest email decodes them on access (a spread would leave them out).
      for (const e of emails) sent.push({ ...e, html: e.html, text: e.text, idempotencyKey });
      return { kind: "accepted", outcomes: emails.map(() => ({ ok: true, id: `mem-${++n}` })) };
    },
  };
}

/** The first link in a text that starts with `${base}/${purpose}/`. */
export function linkIn(text: string, purpose: string): string | undefined {
  const m = new RegExp(`https?://[^\\s"'<>]+/${purpose}/[A-Za-z0-9_.-]+`).exec(text);
  return m?.[0];
}
