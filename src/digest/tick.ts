// The digest tick: plan what came due, then send the queue — called every minute by node-cron in
// `npm start`, by `npm run digest`, and later by the Workers cron. The database is the truth, not the
// timer: a tick that finds nothing due does nothing, a tick after an outage catches up.
//
// Ticks never overlap within a process (a guard per database handle). Several processes may tick at
// once: planning locks disjoint subscribers and inserts each edition once; sending claims disjoint
// batches. The planner and the senders run side by side so the first emails leave while later
// subscribers are still being planned. One structured log line per tick.
import { requeueUnsentBatches } from "../../db/queries/deliveries";
import { candidateStoriesForAll } from "../../db/queries/stories";
import type { Deps } from "../deps";
import { ContentCache } from "./content-cache";
import { composeDigestEmail, type DigestRenderer } from "./compose-email";
import { MAX_LOOKBACK_MS } from "./plan-editions";
import { planDue, planDueDryRun, type PlanOptions, type PlanTotals } from "./plan-due";
import { createRateLimiter, defaultRetryPolicy, realPacer, type Pacer, type RetryPolicy } from "./provider-calls";
import { createDigestRenderer } from "./render-digest";
import { PlannedBatches } from "./planned-batches";
import { sendQueue, WorkSignal, type SendTotals } from "./send-queue";
import type { CandidateStory } from "./types";

/**
 * A batch claimed this many times without an answer recorded is failed, with the reason kept: a batch
 * that kills its sender every time must not stop the morning for everyone. Each claim is one lease (a
 * crash or kill while it was out); 10 leaves room for a deploy or two restarting workers mid-run.
 */
export const MAX_CLAIMS = 10;

export interface TickDeps extends Deps {
  /** Monotonic time and sleep for pacing and backoff (tests: a virtual clock). */
  pacer?: Pacer;
  /** Backoff jitter. */
  random?: () => number;
  /** One renderer per run (caches repeating parts). */
  createRenderer?: () => DigestRenderer;
}

export interface TickOptions {
  /** The instant deciding what is due (default: the clock). Leases always use the clock. */
  now?: Date;
  /** Plan and render, write and send nothing. */
  dryRun?: boolean;
  /** At most this many subscribers planned this tick (the rest next tick). */
  limit?: number;
  /** Emails per provider call, at most 100. */
  batchSize?: number;
  leaseMs?: number;
  /** Batches in flight at once in this process. */
  concurrency?: number;
  /** Subscribers planned per transaction. */
  chunkSize?: number;
  retry?: Partial<RetryPolicy>;
}

export interface TickResult {
  planned: number;
  sent: number;
  skipped: number;
  failed: number;
  missed: number;
  durationMs: number;
  /** Dry run: emails rendered (not sent). */
  rendered?: number;
  /** Sending stopped early (provider down or refusing); the rest stays queued for the next tick. */
  stopped?: string;
  /** The previous tick of this process was still running: this one did nothing. */
  overlapped?: boolean;
}

export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_BATCH_SIZE = 100;
const HISTORY_SLACK_MS = 24 * 3_600_000;

const running = new WeakSet<object>();

export async function runTick(deps: TickDeps, options: TickOptions = {}): Promise<TickResult> {
  const pacer = deps.pacer ?? realPacer;
  const started = pacer.now();
  if (running.has(deps.db)) {
    const result: TickResult = { planned: 0, sent: 0, skipped: 0, failed: 0, missed: 0, durationMs: 0, overlapped: true };
    deps.log.warn("digest tick skipped: the previous tick is still running", { ...result });
    return result;
  }
  running.add(deps.db);
  try {
    const result = await tick(deps, options, pacer);
    const full: TickResult = { ...result, durationMs: Math.round(pacer.now() - started) };
    deps.log.info("digest tick", { ...full, ...(options.dryRun ? { dryRun: true } : {}) });
    return full;
  } catch (error) {
    deps.log.error("digest tick failed", { error: String(error), durationMs: Math.round(pacer.now() - started) });
    throw error;
  } finally {
    running.delete(deps.db);
  }
}

/** Everything since the longest window any subscriber can have, once per run, filtered per subscriber in memory. */
async function loadCandidates(deps: Pick<Deps, "db" | "config">, now: Date): Promise<{ candidates: CandidateStory[]; historySince: Date }> {
  const candidates = (await candidateStoriesForAll(deps.db, new Date(now.getTime() - MAX_LOOKBACK_MS), new Date(now.getTime() + 1))) as CandidateStory[];
  // "Never a story twice": history must reach back to when any candidate could first have been sent.
  let earliest = now.getTime() - MAX_LOOKBACK_MS;
  for (const s of candidates) for (const a of s.articles) earliest = Math.min(earliest, a.publishedAt.getTime());
  const floor = now.getTime() - deps.config.RETENTION_DAYS * 24 * 3_600_000;
  return { candidates, historySince: new Date(Math.max(floor, earliest - HISTORY_SLACK_MS)) };
}

/** What planning needs for a run at `now`: the settings, and the candidate stories loaded once. */
export async function planningOptions(
  deps: Pick<Deps, "db" | "config" | "log">,
  now: Date,
  options: Pick<TickOptions, "limit" | "chunkSize"> = {},
): Promise<PlanOptions> {
  const { candidates, historySince } = await loadCandidates(deps, now);
  return {
    now,
    settings: {
      lateAfterHours: deps.config.DIGEST_LATE_AFTER_HOURS,
      maxPerCountry: deps.config.DIGEST_MAX_PER_COUNTRY,
      maxTotal: deps.config.DIGEST_MAX_STORIES,
    },
    candidates,
    historySince,
    chunkSize: options.chunkSize ?? 1000,
    limit: options.limit ?? Number.MAX_SAFE_INTEGER,
    log: deps.log,
  };
}

async function tick(deps: TickDeps, options: TickOptions, pacer: Pacer): Promise<Omit<TickResult, "durationMs">> {
  const now = options.now ?? deps.clock();
  const renderer = (deps.createRenderer ?? createDigestRenderer)();
  const content = new ContentCache();
  const planOptions = await planningOptions(deps, now, options);

  if (options.dryRun) {
    const { totals, plans } = await planDueDryRun(deps.db, planOptions);
    let rendered = 0;
    const queued = plans.flatMap(({ subscriber, plan }) => plan.deliveries.filter((d) => d.status === "queued").map((d) => ({ subscriber, d })));
    await content.ensure(deps.db, queued.map((q) => q.d.layout));
    for (const { subscriber, d } of queued) {
      await composeDigestEmail(deps.config, renderer, subscriber, d.edition, content.selection(d.layout));
      rendered++;
    }
    return { planned: totals.planned, skipped: totals.skipped, missed: totals.missed, sent: 0, failed: 0, rendered };
  }

  const signal = new WorkSignal();
  const concurrency = options.concurrency ?? (deps.dbKind === "pglite" ? 2 : 4);
  const batchSize = Math.min(100, Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE));
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  // The planner claims what it plans for this process's senders, staying a few batches ahead of them.
  const planned = new PlannedBatches(2 * concurrency + 4, () => signal.notify());
  const planning = planDue(deps.db, {
    ...planOptions,
    onChunk: () => signal.notify(),
    claims: { batchSize, leaseUntil: () => new Date(deps.clock().getTime() + leaseMs), batches: planned },
  }).finally(() => signal.finish());
  const sending = sendQueue(
    {
      db: deps.db,
      config: deps.config,
      clock: deps.clock,
      log: deps.log,
      renderer,
      content,
      provider: {
        mailer: deps.mailer,
        limiter: createRateLimiter(deps.config.SEND_RATE_PER_SECOND, pacer),
        pacer,
        random: deps.random ?? Math.random,
        policy: { ...defaultRetryPolicy, ...options.retry },
        onRetry: (info) => deps.log.warn("digest batch retry", info),
      },
      batchSize,
      leaseMs,
      maxClaims: MAX_CLAIMS,
      reclaimEveryMs: 30_000,
      planned,
    },
    signal,
    concurrency,
  ).finally(() => planned.close());
  const [planResult, sendResult] = await Promise.allSettled([planning, sending]);
  // Batches claimed but never offered to the provider (sending stopped early) go back to the queue.
  const unsent = planned.drain();
  if (unsent.length > 0) await requeueUnsentBatches(deps.db, unsent.map((b) => b[0]!.batchKey), deps.clock());
  if (planResult.status === "rejected") throw planResult.reason;
  if (sendResult.status === "rejected") throw sendResult.reason;
  const p: PlanTotals = planResult.value;
  const s: SendTotals = sendResult.value;
  return {
    planned: p.planned,
    missed: p.missed,
    skipped: p.skipped + s.skipped,
    sent: s.sent,
    failed: s.failed,
    ...(s.stopped ? { stopped: s.stopped } : {}),
  };
}
