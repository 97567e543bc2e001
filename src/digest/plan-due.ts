// Planning the due subscribers, a chunk at a time. Each chunk is one short transaction: lock the due
// subscribers (SKIP LOCKED: concurrent planners take disjoint sets), read what they were already given,
// decide every edition in memory (plan-editions.ts, pure), insert the deliveries (unique per subscriber
// and edition: on conflict do nothing) — claimed for this process's senders when it sends too
// (planned-batches.ts) — and move each schedule forward: five statements per chunk (the first asks
// PostgreSQL to reach rows by index, see preferIndexLookups).
import type { Db } from "../../db/client";
import {
  advanceSchedules,
  dueSubscribers,
  givenStoryIds,
  insertPlannedDeliveries,
  preferIndexLookups,
  rekeyDeliveries,
  type DueSubscriber,
  type PlannedDelivery,
  type ScheduleAdvance,
} from "../../db/queries/deliveries";
import type { Logger } from "../log";
import { planSubscriber, ScheduleMemo, type PlanSettings, type SubscriberPlan } from "./plan-editions";
import { createStoryChooser, type ChooseStories } from "./story-chooser";
import { claimPlanned, keepInserted, type PlannedBatches } from "./planned-batches";
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
  /**
   * Claim queued deliveries for this process's senders as they are planned (planned-batches.ts);
   * without it they are inserted queued, for any worker to claim.
   */
  claims?: { batchSize: number; leaseUntil: () => Date; batches: PlannedBatches };
  log: Logger;
}

export interface PlanTotals {
  /** Deliveries queued to be sent. */
  planned: number;
  skipped: number;
  missed: number;
  subscribers: number;
}

/** Decides a chunk in memory. A subscriber whose stored preferences cannot be scheduled stops being due. */
export function planChunk(
  due: DueSubscriber[],
  given: Map<string, Set<number>>,
  choose: ChooseStories,
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
      const plan = planSubscriber(subscriber, now, settings, memo, (s, since) => choose(s.countries, given.get(s.id) ?? empty, since));
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

/** The run's story chooser: selectStories' answers, each country ranked once per window (story-chooser.ts). */
function chooserFor(options: PlanOptions): ChooseStories {
  return createStoryChooser(options.candidates, options.now, { maxPerCountry: options.settings.maxPerCountry, maxTotal: options.settings.maxTotal });
}

export async function planDue(db: Db, options: PlanOptions): Promise<PlanTotals> {
  const totals: PlanTotals = { planned: 0, skipped: 0, missed: 0, subscribers: 0 };
  const choose = chooserFor(options);
  const memo = new ScheduleMemo();
  while (totals.subscribers < options.limit) {
    const size = Math.min(options.chunkSize, options.limit - totals.subscribers);
    const claims = options.claims && !options.claims.batches.closed ? options.claims : undefined;
    const { count, batches } = await db.transaction(async (tx) => {
      await preferIndexLookups(tx);
      const due = await dueSubscribers(tx, options.now, size);
      if (due.length === 0) return { count: 0, batches: [] };
      const given = await givenStoryIds(tx, due.map((s) => s.id), options.historySince);
      const { deliveries, advances } = planChunk(due, given, choose, options, memo);
      const claimed = claims ? claimPlanned(due, deliveries, claims.batchSize, claims.leaseUntil(), options.now) : { rows: deliveries, batches: [] };
      const inserted = await insertPlannedDeliveries(tx, claimed.rows, options.now);
      const kept = keepInserted(claimed.batches, new Set(inserted.map((r) => r.id)));
      await rekeyDeliveries(tx, kept.rekeyed, options.now);
      await advanceSchedules(tx, advances, options.now);
      for (const row of inserted) {
        if (row.status === "queued" || row.status === "sending") totals.planned++;
        else if (row.status === "skipped") totals.skipped++;
        else if (row.status === "missed") totals.missed++;
      }
      return { count: due.length, batches: kept.batches };
    });
    totals.subscribers += count;
    options.onChunk?.();
    // Only once committed may the senders send them (a crash before the commit leaves nothing sent).
    if (claims && batches.length > 0) await claims.batches.offer(batches);
    if (count < size) break;
  }
  return totals;
}

/** A dry run: the same decisions, read without locks, nothing written. Returns every plan made. */
export async function planDueDryRun(db: Db, options: PlanOptions): Promise<{ totals: PlanTotals; plans: Array<{ subscriber: DueSubscriber; plan: SubscriberPlan }> }> {
  const totals: PlanTotals = { planned: 0, skipped: 0, missed: 0, subscribers: 0 };
  const plans: Array<{ subscriber: DueSubscriber; plan: SubscriberPlan }> = [];
  const choose = chooserFor(options);
  const memo = new ScheduleMemo();
  while (totals.subscribers < options.limit) {
    const size = Math.min(options.chunkSize, options.limit - totals.subscribers);
    const due = await dueSubscribers(db, options.now, size, { lock: false, offset: totals.subscribers });
    if (due.length === 0) break;
    const given = await givenStoryIds(db, due.map((s) => s.id), options.historySince);
    const chunk = planChunk(due, given, choose, options, memo);
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
