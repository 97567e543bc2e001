// Workers: what a Cron Trigger runs — the digest tick (TICK_CRON, after the mail queue) or ingestion (INGEST_CRON), each
// bounded to fit one invocation (subrequests, CPU, 6 simultaneous connections). Whatever does not fit
// waits in the database for the next trigger: due subscribers stay due (the planner takes the most
// overdue first), planned deliveries stay queued, a batch cut off by the budget is handed back under its
// idempotency key, a batch cut off by the runtime is re-claimed when its lease expires, and sources not
// fetched stay due (the longest-unfetched first).
import type { Deps } from "../deps";
import { runTick, type TickResult } from "../digest/tick";
import { runIngestion, type IngestSummary } from "../ingest/ingest";
import { createTranslator } from "../translate/create-translator";
import { withProviderBudget } from "./provider-budget";
import { drainMailQueue } from "../subscriptions/mail-queue";
import type { WorkerLimits } from "./setup";
import { workerIngestDeps } from "./ingest-deps";

/** Batches sending at once: with the database's connections, stays under the 6 open connections a Worker may have. */
export const TICK_CONCURRENCY = 2;
/** Feeds fetched at once, for the same reason. */
export const FEED_CONCURRENCY = 3;
/** A Retry-After longer than this hands the batch back; the budget's refusal asks for a little more. */
export const MAX_RETRY_AFTER_MS = 60_000;

export type JobName = "tick" | "ingest";

/** Which job a cron expression stands for (TICK_CRON and INGEST_CRON must match wrangler.toml's crons). */
export function jobFor(cron: string, config: Deps["config"]): JobName | null {
  if (cron === config.TICK_CRON) return "tick";
  if (cron === config.INGEST_CRON) return "ingest";
  return null;
}

/** Queued service emails the tick trigger sends first (each request's waitUntil sends its own). */
export const TICK_SERVICE_MAIL = 10;

/**
 * What requests' waitUntil did not get to (or a failure left to retry), and requests whose confirmation
 * link expired: before the digests, one provider request per email, out of the trigger's budget (an email
 * refused for lack of it waits in the queue for the next trigger). Both tick paths (cron-only and the
 * queue fan-out) run it.
 */
export async function sweepServiceMail(deps: Deps, mailer: Deps["mailer"]): Promise<void> {
  await drainMailQueue({ ...deps, mailer }, { limit: TICK_SERVICE_MAIL, maxRounds: 1, purge: true }).catch((error: unknown) =>
    deps.log.error("mail queue drain failed", { error: error instanceof Error ? error.message : String(error) }),
  );
}

export async function workerTick(deps: Deps, limits: WorkerLimits): Promise<TickResult> {
  const mailer = withProviderBudget(deps.mailer, limits.tickBatches, MAX_RETRY_AFTER_MS + 1_000);
  await sweepServiceMail(deps, mailer);
  const result = await runTick(
    { ...deps, mailer },
    { limit: limits.tickSubscribers, concurrency: TICK_CONCURRENCY, retry: { maxRetryAfterMs: MAX_RETRY_AFTER_MS } },
  );
  if (mailer.exhausted()) {
    deps.log.info("digest tick reached its per-trigger budget; the queue continues on the next trigger", {
      providerRequests: mailer.used(),
      budget: limits.tickBatches,
    });
  }
  return result;
}

export async function workerIngestion(deps: Deps, limits: WorkerLimits): Promise<IngestSummary> {
  const config = { ...deps.config, FEED_CONCURRENCY: Math.min(deps.config.FEED_CONCURRENCY, FEED_CONCURRENCY) };
  return runIngestion(workerIngestDeps({ db: deps.db, config, log: deps.log, embedder: deps.embedder ?? null }), {
    now: deps.clock(),
    translator: createTranslator(config),
    maxSources: limits.ingestSources,
  });
}
