// Planning the due subscribers, a chunk at a time. Each chunk is one short transaction: lock the due
// subscribers (SKIP LOCKED: concurrent planners take disjoint sets), read what they were already given,
// decide every edition in memory (plan-editions.ts, pure), insert the deliveries (unique per subscriber
// and edition: on conflict do nothing) and move each schedule forward — four statements per chunk.
import type { Db } from "../../db/client";
import {
  advanceSchedules,
  dueSubscribers,
  givenStoryIds,
  insertPlannedDeliveries,
  type DueSubscriber,
  type PlannedDelivery,
  type ScheduleAdvance,
} from "../../db/queries/deliveries";
import type { Logger } from "../log";
import { planSubscriber, ScheduleMemo, type PlanSettings, type SubscriberPlan } from "./plan-editions";
import { selectStories } from "./select-stories";
import type { CandidateStory } from "./types";

export interface PlanOptions {
  now: Date;
  settings: PlanSettings & { maxPerCountry: number; maxTotal: number };
  candidates: readonly CandidateStory[];
  /** Deliveries created since this instant count as history ("never a story twice"). */
  historySince: Date;
  chunkSize: number;
  /** At most this many subscribers this run. */
  limit: number;
  /** Called after each committed chunk (wakes the senders). */
  onChunk?: () => void;
  log: Logger;
}

export interface PlanTotals {
  /** Deliveries queued to be sent. */
  planned: number;
  skipped: number;
  missed: number;
  subscribers: number;
}

/** A candidate under one country, with the newest article it has from that country. */
interface Indexed {
  story: CandidateStory;
  newest: number;
}

/**
 * Candidates by the countries of their articles, newest first, so a subscriber only scans stories from
 * their countries with an article after their window opened (selectStories needs one: an article from
 * one of their countries published after `since`). The morning run's cost is mostly this scan.
 */
export function indexByCountry(candidates: readonly CandidateStory[]): Map<string, Indexed[]> {
  const index = new Map<string, Indexed[]>();
  for (const story of candidates) {
    const newest = new Map<string, number>();
    for (const a of story.articles) newest.set(a.country, Math.max(newest.get(a.country) ?? -Infinity, a.publishedAt.getTime()));
    for (const [country, time] of newest) {
      let list = index.get(country);
      if (!list) index.set(country, (list = []));
      list.push({ story, newest: time });
    }
  }
  for (const list of index.values()) list.sort((a, b) => b.newest - a.newest);
  return index;
}

function candidatesFor(index: Map<string, Indexed[]>, countries: readonly string[], since: Date): CandidateStory[] {
  const after = since.getTime();
  const out: CandidateStory[] = [];
  const seen = countries.length > 1 ? new Set<CandidateStory>() : null;
  for (const c of countries) {
    for (const entry of index.get(c) ?? []) {
      if (entry.newest <= after) break;
      if (seen) {
        if (seen.has(entry.story)) continue;
        seen.add(entry.story);
      }
      out.push(entry.story);
    }
  }
  return out;
}

/** Decides a chunk in memory. A subscriber whose stored preferences cannot be scheduled stops being due. */
export function planChunk(
  due: DueSubscriber[],
  given: Map<string, Set<number>>,
  index: Map<string, Indexed[]>,
  options: Pick<PlanOptions, "now" | "settings" | "log">,
  memo: ScheduleMemo = new ScheduleMemo(),
): { deliveries: PlannedDelivery[]; advances: ScheduleAdvance[]; plans: Array<{ subscriber: DueSubscriber; plan: SubscriberPlan }> } {
  const deliveries: PlannedDelivery[] = [];
  const advances: ScheduleAdvance[] = [];
  const plans: Array<{ subscriber: DueSubscriber; plan: SubscriberPlan }> = [];
  const empty = new Set<number>();
  const { now, settings } = options;
  for (const subscriber of due) {
    try {
      const plan = planSubscriber(subscriber, now, settings, memo, (s, since) =>
        selectStories({
          countries: s.countries,
          sentStoryIds: given.get(s.id) ?? empty,
          since,
          now,
          candidates: candidatesFor(index, s.countries, since),
          maxPerCountry: settings.maxPerCountry,
          maxTotal: settings.maxTotal,
        }),
      );
      deliveries.push(...plan.deliveries);
      advances.push(plan.advance);
      plans.push({ subscriber, plan });
    } catch (error) {
      options.log.error("subscriber cannot be scheduled; no digest until their preferences are saved again", {
        subscriber: subscriber.id,
        error: String(error),
      });
      advances.push({ id: subscriber.id, nextSendAt: null, lastEditionAt: null });
    }
  }
  return { deliveries, advances, plans };
}

export async function planDue(db: Db, options: PlanOptions): Promise<PlanTotals> {
  const totals: PlanTotals = { planned: 0, skipped: 0, missed: 0, subscribers: 0 };
  const index = indexByCountry(options.candidates);
  const memo = new ScheduleMemo();
  while (totals.subscribers < options.limit) {
    const size = Math.min(options.chunkSize, options.limit - totals.subscribers);
    const count = await db.transaction(async (tx) => {
      const due = await dueSubscribers(tx, options.now, size);
      if (due.length === 0) return 0;
      const given = await givenStoryIds(tx, due.map((s) => s.id), options.historySince);
      const { deliveries, advances } = planChunk(due, given, index, options, memo);
      const inserted = await insertPlannedDeliveries(tx, deliveries, options.now);
      await advanceSchedules(tx, advances, options.now);
      for (const row of inserted) {
        if (row.status === "queued") totals.planned++;
        else if (row.status === "skipped") totals.skipped++;
        else if (row.status === "missed") totals.missed++;
      }
      return due.length;
    });
    totals.subscribers += count;
    options.onChunk?.();
    if (count < size) break;
  }
  return totals;
}

/** A dry run: the same decisions, read without locks, nothing written. Returns every plan made. */
export async function planDueDryRun(db: Db, options: PlanOptions): Promise<{ totals: PlanTotals; plans: Array<{ subscriber: DueSubscriber; plan: SubscriberPlan }> }> {
  const totals: PlanTotals = { planned: 0, skipped: 0, missed: 0, subscribers: 0 };
  const plans: Array<{ subscriber: DueSubscriber; plan: SubscriberPlan }> = [];
  const index = indexByCountry(options.candidates);
  const memo = new ScheduleMemo();
  while (totals.subscribers < options.limit) {
    const size = Math.min(options.chunkSize, options.limit - totals.subscribers);
    const due = await dueSubscribers(db, options.now, size, { lock: false, offset: totals.subscribers });
    if (due.length === 0) break;
    const given = await givenStoryIds(db, due.map((s) => s.id), options.historySince);
    const chunk = planChunk(due, given, index, options, memo);
    for (const d of chunk.deliveries) {
      if (d.status === "queued") totals.planned++;
      else if (d.status === "skipped") totals.skipped++;
      else totals.missed++;
    }
    plans.push(...chunk.plans);
    totals.subscribers += due.length;
    if (due.length < size) break;
  }
  return { totals, plans };
}
