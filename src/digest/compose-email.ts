// One subscriber's digest email from a planned delivery: links, the email's headers, rendered parts.
// Deterministic: the same delivery and rows give the same bytes (a retry must repeat the request
// exactly, or the provider's idempotency check refuses it).
import type { Config } from "../config";
import type { OutgoingEmail } from "../mail/mailer";
import { linkFor } from "../tokens";
import type { BuildDigestInput } from "./build-digest";
import { assembledDigest, type DigestRenderer, type RenderedDigest } from "./render-digest";
import type { DigestLinks, SelectedStory } from "./types";

export type { DigestRenderer, RenderedDigest };

export interface DigestRecipient {
  id: string;
  email: string;
  tokenVersion: number;
  countries: readonly string[];
  timeZone: string;
  deliveryTime: string;
  frequency: "daily" | "weekdays" | "weekly";
  weeklyDay: number | null;
}

/** The signed links of one edition. `at` only matters for expiring purposes (none of these expire). */
export function digestLinks(config: Config, subscriber: { id: string; tokenVersion: number }, edition: string, at: Date): DigestLinks {
  const ref = { id: subscriber.id, tokenVersion: subscriber.tokenVersion };
  return {
    manage: linkFor(config.publicUrl, config.appSecret, "manage", ref, at),
    unsubscribe: linkFor(config.publicUrl, config.appSecret, "unsubscribe", ref, at),
    viewInBrowser: linkFor(config.publicUrl, config.appSecret, "view", ref, at, edition),
  };
}

/** RFC 8058 one-click unsubscribe: mail apps POST "List-Unsubscribe=One-Click" to the URL. */
export function unsubscribeHeaders(unsubscribeUrl: string): Record<string, string> {
  return { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

export function digestBuildInput(
  config: Config,
  recipient: DigestRecipient,
  edition: string,
  stories: readonly SelectedStory[],
  links: DigestLinks,
): BuildDigestInput {
  return {
    stories,
    subscriber: {
      countries: recipient.countries,
      timeZone: recipient.timeZone,
      deliveryTime: recipient.deliveryTime,
      frequency: recipient.frequency,
      weeklyDay: recipient.weeklyDay,
    },
    edition,
    links,
    postalAddress: config.POSTAL_ADDRESS,
  };
}

/** Renders one edition for one recipient (shrinking texts if it would pass Gmail's clipping size). */
export async function renderEdition(
  config: Config,
  renderer: DigestRenderer,
  recipient: DigestRecipient,
  edition: string,
  stories: readonly SelectedStory[],
): Promise<RenderedDigest & { links: DigestLinks }> {
  const links = digestLinks(config, recipient, edition, new Date(0));
  const r = await renderer.renderSelection(digestBuildInput(config, recipient, edition, stories, links));
  // Keeps neither the digest it was built from nor (assembled renderer) decoded strings: a batch of these
  // waits for the provider.
  const rendered = r.encoded && r.htmlBytes !== undefined ? assembledDigest(r.subject, r.encoded, r.htmlBytes) : { subject: r.subject, html: r.html, text: r.text };
  return Object.assign(rendered, { links });
}

export async function composeDigestEmail(
  config: Config,
  renderer: DigestRenderer,
  recipient: DigestRecipient,
  edition: string,
  stories: readonly SelectedStory[],
): Promise<OutgoingEmail> {
  const rendered = await renderEdition(config, renderer, recipient, edition, stories);
  return {
    from: config.MAIL_FROM,
    to: recipient.email,
    subject: rendered.subject,
    // Decoded only if a mailer asks (the Resend mailer sends `encoded`).
    get html() {
      return rendered.html;
    },
    get text() {
      return rendered.text;
    },
    ...(config.MAIL_REPLY_TO ? { replyTo: config.MAIL_REPLY_TO } : {}),
    headers: unsubscribeHeaders(rendered.links.unsubscribe),
    ...(rendered.encoded ? { encoded: rendered.encoded } : {}),
  };
}
