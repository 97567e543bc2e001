// One subscriber's digest email from a planned delivery: links, the email's headers, rendered parts.
// Deterministic: the same delivery and rows give the same bytes (a retry must repeat the request
// exactly, or the provider's idempotency check refuses it).
import type { Config } from "../config";
import type { OutgoingEmail } from "../mail/mailer";
import { linkFor } from "../tokens";
import type { BuildDigestInput } from "./build-digest";
import { decodeJsonChunks, type DigestRenderer, type RenderedDigest } from "./render-digest";
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
async function renderSelected(config: Config, renderer: DigestRenderer, recipient: DigestRecipient, edition: string, stories: readonly SelectedStory[]) {
  const links = digestLinks(config, recipient, edition, new Date(0));
  const rendered = await renderer.renderSelection(digestBuildInput(config, recipient, edition, stories, links));
  return { rendered, links };
}

/** One edition rendered for one recipient, with its links ("view in browser", previews). */
export async function renderEdition(
  config: Config,
  renderer: DigestRenderer,
  recipient: DigestRecipient,
  edition: string,
  stories: readonly SelectedStory[],
): Promise<RenderedDigest & { links: DigestLinks }> {
  const { rendered, links } = await renderSelected(config, renderer, recipient, edition, stories);
  // Not a spread: the assembled renderer's strings are decoded on access.
  return Object.assign(rendered, { links });
}

export async function composeDigestEmail(
  config: Config,
  renderer: DigestRenderer,
  recipient: DigestRecipient,
  edition: string,
  stories: readonly SelectedStory[],
): Promise<OutgoingEmail> {
  const { rendered, links } = await renderSelected(config, renderer, recipient, edition, stories);
  const head = {
    from: config.MAIL_FROM,
    to: recipient.email,
    subject: rendered.subject,
    ...(config.MAIL_REPLY_TO ? { replyTo: config.MAIL_REPLY_TO } : {}),
    headers: unsubscribeHeaders(links.unsubscribe),
  };
  const encoded = rendered.encoded;
  if (!encoded) return { ...head, html: rendered.html, text: rendered.text };
  // The assembled renderer: the body as the JSON chunks the Resend mailer sends, the strings decoded from
  // them only if a mailer asks (the local outbox). A batch of 100 of these waits for the provider while
  // other batches are rendered: the email keeps nothing else (bench/digest-render.ts measures what it
  // keeps: ~1.7 KB of heap, 3.2 KB when it kept the rendered digest and its links).
  return {
    ...head,
    encoded,
    get html() {
      return decodeJsonChunks(encoded.html);
    },
    get text() {
      return decodeJsonChunks(encoded.text);
    },
  };
}
