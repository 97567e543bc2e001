// One subscriber's digest email from a planned delivery: links, the email's headers, rendered parts.
// Deterministic: the same delivery and rows give the same bytes (a retry must repeat the request
// exactly, or the provider's idempotency check refuses it).
import type { Config } from "../config";
import type { EncodedBodies, OutgoingEmail } from "../mail/mailer";
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
async function renderSelected(
  config: Config,
  renderer: DigestRenderer,
  recipient: DigestRecipient,
  edition: string,
  stories: readonly SelectedStory[],
  linksOverride: Partial<DigestLinks> = {},
) {
  const links = { ...digestLinks(config, recipient, edition, new Date(0)), ...linksOverride };
  const rendered = await renderer.renderSelection(digestBuildInput(config, recipient, edition, stories, links));
  return { rendered, links };
}

/**
 * One edition rendered for one recipient, with its links ("view in browser", previews).
 * `linksOverride`: the view-in-browser page shows no manage link (src/digest/edition-view.ts).
 */
export async function renderEdition(
  config: Config,
  renderer: DigestRenderer,
  recipient: DigestRecipient,
  edition: string,
  stories: readonly SelectedStory[],
  linksOverride: Partial<DigestLinks> = {},
): Promise<RenderedDigest & { links: DigestLinks }> {
  const { rendered, links } = await renderSelected(config, renderer, recipient, edition, stories, linksOverride);
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
  const headers = unsubscribeHeaders(links.unsubscribe);
  const encoded = rendered.encoded;
  if (encoded) return new EncodedDigestEmail(config.MAIL_FROM, recipient.email, rendered.subject, headers, encoded, config.MAIL_REPLY_TO);
  return {
    from: config.MAIL_FROM,
    to: recipient.email,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    ...(config.MAIL_REPLY_TO ? { replyTo: config.MAIL_REPLY_TO } : {}),
    headers,
  };
}

/**
 * A digest email from the assembled renderer: its body is the JSON chunks the Resend mailer sends, and
 * `html` and `text` are decoded from them only when read (the local outbox, tests). A batch of 100 of
 * these waits for the provider while other batches are rendered, so an email keeps nothing else. A class
 * rather than an object literal with getters: a literal's getters gave every email its own closures and
 * hidden class (~750 bytes more each; bench/digest-render.ts measures what a composed email keeps). The
 * getters live on the prototype: read html and text by name — a spread ({ ...email }) leaves them out.
 */
class EncodedDigestEmail implements OutgoingEmail {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly subject: string,
    readonly headers: Record<string, string>,
    readonly encoded: EncodedBodies,
    readonly replyTo: string | undefined,
  ) {}

  get html(): string {
    return decodeJsonChunks(this.encoded.html);
  }

  get text(): string {
    return decodeJsonChunks(this.encoded.text);
  }
}
