// "What would this subscriber get next?" — the next edition selected and rendered exactly as the tick
// would, written nowhere and sent to nobody (npm run digest -- --preview <email>).
import { candidateStories } from "../../db/queries/stories";
import { givenStoryIds } from "../../db/queries/deliveries";
import { findSubscriberByEmail } from "../../db/queries/subscribers";
import type { Deps } from "../deps";
import { renderEdition } from "./compose-email";
import { prefsOf, windowStart } from "./plan-editions";
import { createDigestRenderer } from "./render-digest";
import { editionOf, nextSendAt } from "./schedule";
import { selectStories } from "./select-stories";
import type { CandidateStory } from "./types";

export type Preview =
  | { kind: "digest"; email: string; edition: string; dueAt: Date; storyCount: number; subject: string; html: string; text: string }
  | { kind: "skip"; email: string; edition: string; dueAt: Date; reason: string }
  | { kind: "not-found"; email: string };

export async function previewNextDigest(deps: Deps, email: string, now: Date): Promise<Preview> {
  const address = email.trim().toLowerCase();
  const subscriber = await findSubscriberByEmail(deps.db, address);
  if (!subscriber) return { kind: "not-found", email: address };
  const prefs = prefsOf(subscriber);
  const dueAt = subscriber.nextSendAt ?? nextSendAt(prefs, now).at;
  const edition = editionOf(dueAt, subscriber.timeZone);
  // As if planned now (or when due, if that is later): the window and the history the tick would use.
  const at = new Date(Math.max(now.getTime(), dueAt.getTime()));
  const since = windowStart(subscriber, at);
  const candidates = (await candidateStories(deps.db, { countries: subscriber.countries, since, until: new Date(at.getTime() + 1) })) as CandidateStory[];
  const given = await givenStoryIds(deps.db, [subscriber.id], new Date(at.getTime() - deps.config.RETENTION_DAYS * 86_400_000));
  const selection = selectStories({
    countries: subscriber.countries,
    sentStoryIds: given.get(subscriber.id) ?? new Set(),
    since,
    now: at,
    candidates,
    maxPerCountry: deps.config.DIGEST_MAX_PER_COUNTRY,
    maxTotal: deps.config.DIGEST_MAX_STORIES,
  });
  if ("skip" in selection) return { kind: "skip", email: address, edition, dueAt, reason: selection.skip };
  const rendered = await renderEdition(deps.config, createDigestRenderer(), subscriber, edition, selection.stories);
  return { kind: "digest", email: address, edition, dueAt, storyCount: selection.stories.length, subject: rendered.subject, html: rendered.html, text: rendered.text };
}
