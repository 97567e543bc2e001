// "View in browser": a subscriber's edition rebuilt from its delivery — the planned layout, today's rows —
// through the same renderer as the email, so it shows what was sent (less the manage link). Reads only.
import type { Subscriber } from "../../db/queries/subscribers";
import { findDeliveryForEdition } from "../../db/queries/deliveries";
import type { Deps } from "../deps";
import { renderEdition } from "./compose-email";
import { ContentCache } from "./content-cache";
import { createDigestRenderer } from "./render-digest";

export type EditionView =
  | { kind: "digest"; subject: string; html: string }
  | { kind: "unavailable"; title: string; message: string };

const EDITION = /^\d{4}-\d{2}-\d{2}$/;

export async function viewEdition(deps: Deps, subscriber: Subscriber, edition: string): Promise<EditionView> {
  if (!EDITION.test(edition)) return { kind: "unavailable", title: "No such edition", message: "This link doesn't name an edition." };
  const delivery = await findDeliveryForEdition(deps.db, subscriber.id, edition);
  if (!delivery || delivery.layout.length === 0 || !["sent", "sending", "queued"].includes(delivery.status)) {
    const why =
      delivery?.status === "skipped"
        ? "There was nothing new from your countries that day, so no digest went out."
        : delivery?.status === "missed"
          ? "The service could not send this edition in time, so it was not sent."
          : "We have no digest for you on this date.";
    return { kind: "unavailable", title: `No digest for ${edition}`, message: why };
  }
  const content = new ContentCache();
  await content.ensure(deps.db, [delivery.layout]);
  const stories = content.selection(delivery.layout);
  if (stories.length === 0) {
    return {
      kind: "unavailable",
      title: "This edition is no longer available",
      message: `We keep news for ${deps.config.RETENTION_DAYS} days; the stories of the ${edition} edition have been removed since.`,
    };
  }
  // The page is the email without its manage link (a view link is in every digest and may be forwarded;
  // issue 15): "Manage" leads to a page saying where the reader's own link is.
  const rendered = await renderEdition(deps.config, createDigestRenderer(), subscriber, edition, stories, { manage: `${deps.config.publicUrl}/manage` });
  return { kind: "digest", subject: rendered.subject, html: rendered.html };
}
