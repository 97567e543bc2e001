// Batches a process's planner claimed for its own senders. The planner inserts each queued delivery
// already claimed — status `sending`, a lease, and the batch key derived from the batch's ids exactly as
// claimQueuedBatch derives it — in its planning transaction, then hands the batches over here after the
// commit: the morning run saves the claim statement and one write per delivery. Everything else is as
// for a batch claimed from the queue: a process that dies leaves them `sending` until the lease expires,
// then any worker re-claims them whole under the same key.
//
// The planner waits while more than `room` batches are waiting (their leases run while they wait). When
// the senders stop early (provider down), the queue closes: the planner claims nothing more, and batches
// still waiting are put back in the queue unsent (requeueUnsentBatches).
import { createHash } from "node:crypto";
import type { ClaimedDelivery, DueSubscriber, PlannedClaim, PlannedDelivery } from "../../db/queries/deliveries";

/** 'digest-' + md5 of the sorted delivery ids joined by commas — the same as claimQueuedBatch's SQL. */
export function batchKeyOf(ids: readonly string[]): string {
  return `digest-${createHash("md5").update([...ids].sort().join(",")).digest("hex")}`;
}

export class PlannedBatches {
  private readonly queue: ClaimedDelivery[][] = [];
  private waiting: Array<() => void> = [];
  private isClosed = false;

  /** `onOffer` wakes the senders. */
  constructor(
    private readonly room: number,
    private readonly onOffer: () => void,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  /** Planner, after its transaction committed: hands over batches, then waits while the queue is full. */
  async offer(batches: ClaimedDelivery[][]): Promise<void> {
    this.queue.push(...batches);
    this.onOffer();
    while (!this.isClosed && this.queue.length > this.room) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Sender: the next batch, if any. */
  take(): ClaimedDelivery[] | undefined {
    const batch = this.queue.shift();
    if (batch && this.queue.length <= this.room) this.release();
    return batch;
  }

  /** No more batches wanted (sending stopped, or ended): the planner stops waiting and claiming. */
  close(): void {
    this.isClosed = true;
    this.release();
  }

  /** The batches never taken (to be put back in the queue). */
  drain(): ClaimedDelivery[][] {
    return this.queue.splice(0);
  }

  private release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w();
  }
}

/**
 * Claims a chunk's queued deliveries for this process: ids chosen now, batches of `batchSize` in planning
 * order, each sorted by id (the order a re-claim returns them in) with its key. Pure apart from the ids.
 */
export function claimPlanned(
  due: readonly DueSubscriber[],
  deliveries: readonly PlannedDelivery[],
  batchSize: number,
  leaseUntil: Date,
  now: Date,
  newId: () => string = () => globalThis.crypto.randomUUID(),
): { rows: Array<PlannedDelivery & { claim?: PlannedClaim }>; batches: ClaimedDelivery[][] } {
  const subscribers = new Map(due.map((s) => [s.id, s]));
  const queued = deliveries.filter((d) => d.status === "queued");
  const claims = new Map<PlannedDelivery, PlannedClaim>();
  const batches: ClaimedDelivery[][] = [];
  for (let i = 0; i < queued.length; i += batchSize) {
    const group = queued.slice(i, i + batchSize).map((d) => ({ d, id: newId() }));
    const batchKey = batchKeyOf(group.map((g) => g.id));
    const batch: ClaimedDelivery[] = [];
    for (const { d, id } of group) {
      claims.set(d, { id, batchKey, leaseUntil });
      const s = subscribers.get(d.subscriberId)!;
      batch.push({
        id,
        subscriberId: s.id,
        edition: d.edition,
        dueAt: d.dueAt,
        storyIds: d.storyIds,
        layout: d.layout,
        plannedAt: now,
        attempts: 1,
        batchKey,
        email: s.email,
        subscriberStatus: "active",
        suppressed: false,
        tokenVersion: s.tokenVersion,
        countries: s.countries,
        frequency: s.frequency,
        weeklyDay: s.weeklyDay,
        deliveryTime: s.deliveryTime,
        timeZone: s.timeZone,
      });
    }
    batches.push(batch.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  }
  return { rows: deliveries.map((d) => (claims.has(d) ? { ...d, claim: claims.get(d)! } : d)), batches };
}

/**
 * After the insert: deliveries another process had already planned were not inserted (unique subscriber +
 * edition); a batch that lost some is re-keyed from the ids it really has, and an empty one dropped.
 */
export function keepInserted(batches: ClaimedDelivery[][], inserted: ReadonlySet<string>): { batches: ClaimedDelivery[][]; rekeyed: Array<{ id: string; batchKey: string }> } {
  const kept: ClaimedDelivery[][] = [];
  const rekeyed: Array<{ id: string; batchKey: string }> = [];
  for (const batch of batches) {
    const rows = batch.filter((d) => inserted.has(d.id));
    if (rows.length === 0) continue;
    if (rows.length < batch.length) {
      const batchKey = batchKeyOf(rows.map((d) => d.id));
      for (const d of rows) {
        d.batchKey = batchKey;
        rekeyed.push({ id: d.id, batchKey });
      }
    }
    kept.push(rows);
  }
  return { batches: kept, rekeyed };
}
