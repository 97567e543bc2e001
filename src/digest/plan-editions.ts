// What to record for one due subscriber: a pure function of (subscriber, now, settings, story chooser).
//
// The subscriber's stored next_send_at is the edition that came due. If the service was down, several
// may have come due since; walking the schedule from the stored instant up to `now` finds them all:
// every one but the newest is recorded as missed (a later one superseded it), and the newest is sent
// unless it is more than DIGEST_LATE_AFTER_HOURS late (then missed too: nobody wants the 7:00 digest at
// noon). The schedule then moves to the first instant after the newest edition, which is after `now`.
import type { DeliveryLayout } from "../../db/schema";
import type { DueSubscriber, PlannedDelivery, ScheduleAdvance } from "../../db/queries/deliveries";
import { editionOf, isTooLate, nextSendAt, type DueEdition, type SchedulePrefs } from "./schedule";
import { layoutOf } from "./layout";
import type { StorySelection } from "./types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Stories of a first edition come from this far back (later editions: since the previous one). */
export const FIRST_EDITION_WINDOW_MS = { daily: DAY, weekdays: DAY, weekly: 7 * DAY } as const;
/** Never look further back than this, whatever the gap (a weekly reader after a missed week). */
export const MAX_LOOKBACK_MS = 8 * DAY;
/** A long outage records at most this many missed editions per subscriber. */
export const MAX_MISSED_RECORDED = 31;

export interface PlanSettings {
  lateAfterHours: number;
}

/** Chooses the stories of one edition: `since` is where this edition's window starts. */
export type StoryChooser = (subscriber: DueSubscriber, since: Date) => StorySelection;

export interface SubscriberPlan {
  deliveries: PlannedDelivery[];
  advance: ScheduleAdvance;
}

/** Where the window of this subscriber's next edition starts. */
export function windowStart(subscriber: Pick<DueSubscriber, "frequency" | "lastEditionAt">, now: Date): Date {
  const first = now.getTime() - FIRST_EDITION_WINDOW_MS[subscriber.frequency];
  const from = subscriber.lastEditionAt ? subscriber.lastEditionAt.getTime() : first;
  return new Date(Math.max(from, now.getTime() - MAX_LOOKBACK_MS));
}

export function prefsOf(s: Pick<DueSubscriber, "timeZone" | "deliveryTime" | "frequency" | "weeklyDay">): SchedulePrefs {
  return { timeZone: s.timeZone, deliveryTime: s.deliveryTime, frequency: s.frequency, weeklyDay: s.weeklyDay };
}

/**
 * Schedule arithmetic is pure but not cheap (Intl time-zone lookups); in a morning run thousands of
 * subscribers share a zone, a time and the same due instant, so a run remembers the answers.
 */
export class ScheduleMemo {
  // Two levels (schedule → instant) so a lookup builds no string per call.
  private readonly next = new Map<string, Map<number, DueEdition>>();
  private readonly editions = new Map<string, Map<number, string>>();
  private size = 0;
  private static readonly MAX = 200_000;

  private level<T>(map: Map<string, Map<number, T>>, key: string): Map<number, T> {
    let inner = map.get(key);
    if (!inner) map.set(key, (inner = new Map()));
    return inner;
  }

  nextSendAt(prefs: SchedulePrefs, after: Date): DueEdition {
    const inner = this.level(this.next, `${prefs.timeZone}|${prefs.deliveryTime}|${prefs.frequency}|${prefs.weeklyDay ?? ""}`);
    const t = after.getTime();
    let hit = inner.get(t);
    if (!hit) {
      hit = nextSendAt(prefs, after);
      if (this.size++ < ScheduleMemo.MAX) inner.set(t, hit);
    }
    return hit;
  }

  editionOf(instant: Date, timeZone: string): string {
    const inner = this.level(this.editions, timeZone);
    const t = instant.getTime();
    let hit = inner.get(t);
    if (hit === undefined) {
      hit = editionOf(instant, timeZone);
      if (this.size++ < ScheduleMemo.MAX) inner.set(t, hit);
    }
    return hit;
  }
}

export function planSubscriber(
  subscriber: DueSubscriber,
  now: Date,
  settings: PlanSettings,
  memo: ScheduleMemo,
  choose: StoryChooser,
): SubscriberPlan {
  const prefs = prefsOf(subscriber);
  // The editions that came due, oldest first (the stored instant, then the schedule up to now).
  const due: DueEdition[] = [{ at: subscriber.nextSendAt, edition: memo.editionOf(subscriber.nextSendAt, subscriber.timeZone) }];
  let next = memo.nextSendAt(prefs, subscriber.nextSendAt);
  while (next.at.getTime() <= now.getTime()) {
    due.push(next);
    if (due.length > MAX_MISSED_RECORDED + 1) due.shift();
    next = memo.nextSendAt(prefs, next.at);
  }
  const newest = due[due.length - 1]!;
  const deliveries: PlannedDelivery[] = [];
  const seen = new Set<string>();
  const record = (d: Omit<PlannedDelivery, "subscriberId">) => {
    // Two due instants on one local date (the subscriber moved their time later the same day): one edition.
    if (seen.has(d.edition)) return;
    seen.add(d.edition);
    deliveries.push({ subscriberId: subscriber.id, ...d });
  };
  for (const old of due.slice(0, -1)) {
    record({ edition: old.edition, dueAt: old.at, status: "missed", storyIds: [], layout: [], reason: `not sent in time: a later edition (${newest.edition}) was due by ${now.toISOString()}` });
  }

  let lastEditionAt: Date | null = null;
  if (seen.has(newest.edition)) {
    // Already recorded under the same date above: nothing more for this date.
  } else if (isTooLate(newest.at, now, settings.lateAfterHours)) {
    record({
      edition: newest.edition,
      dueAt: newest.at,
      status: "missed",
      storyIds: [],
      layout: [],
      reason: `too late: due ${newest.at.toISOString()}, planned ${now.toISOString()} (more than ${settings.lateAfterHours} h)`,
    });
  } else {
    const selection = choose(subscriber, windowStart(subscriber, now));
    lastEditionAt = now;
    if ("skip" in selection) {
      record({ edition: newest.edition, dueAt: newest.at, status: "skipped", storyIds: [], layout: [], reason: `nothing new: ${selection.skip}` });
    } else {
      const layout: DeliveryLayout = layoutOf(selection.stories);
      record({ edition: newest.edition, dueAt: newest.at, status: "queued", storyIds: layout.map((e) => e.story), layout, reason: null });
    }
  }
  return { deliveries, advance: { id: subscriber.id, nextSendAt: next.at, lastEditionAt } };
}
