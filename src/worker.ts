// Cloudflare Workers entry: the same Hono app answers HTTP; Cron Triggers run the digest tick and
// ingestion (src/worker/jobs.ts). With the DIGEST_QUEUE binding the tick plans and fans the morning out
// through Cloudflare Queues (src/worker/fan-out.ts) and queue() sends it (src/worker/queue-consumer.ts);
// without it the tick sends by itself, bounded per trigger. With src/server.ts (Node) the only file with
// start-up side effects.
// Nothing Node-only is imported here or below (no PGlite, node-cron, outbox, fs): test/worker.test.ts
// checks the bundle.
//
// The database client is made per request and per trigger, closed after the response with
// ctx.waitUntil: a Worker may not share a connection between requests, and Hyperdrive keeps the real
// connections pooled near the database, so a fresh client is cheap (as Cloudflare advises).
import type { ExecutionContext } from "hono";
import { connectPostgres, type Database } from "../db/client";
import { createApp } from "./app";
import { systemClock } from "./clock";
import { ConfigError } from "./config";
import type { Deps } from "./deps";
import { createLogger } from "./log";
import { createResendMailer } from "./mail/resend-mailer";
import { fanOutDigests } from "./worker/fan-out";
import { jobFor, MAX_RETRY_AFTER_MS, sweepServiceMail, TICK_SERVICE_MAIL, workerIngestion, workerTick } from "./worker/jobs";
import { withProviderBudget } from "./worker/provider-budget";
import { drainMailQueue } from "./subscriptions/mail-queue";
import { consumeDigestQueue } from "./worker/queue-consumer";
import type { QueueMessageBatch } from "./worker/queue-messages";
import { workerSetup, type WorkerEnv, type WorkerSetup } from "./worker/setup";

/** Database connections per invocation: a Worker may hold 6 open connections; the rest go to Resend and feeds. */
const DB_CONNECTIONS = 3;
/** Queued emails one request's waitUntil sends at most (the rest: the next request or tick trigger). */
const MAIL_PER_REQUEST = 5;

interface ScheduledController {
  cron: string;
  scheduledTime: number;
}

// Checked once per isolate (env is the same object for the isolate's lifetime).
const setups = new WeakMap<object, WorkerSetup | ConfigError>();

function setupFor(env: WorkerEnv): WorkerSetup {
  let setup = setups.get(env);
  if (!setup) {
    try {
      setup = workerSetup(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(error.message);
      setup = error;
    }
    setups.set(env, setup);
  }
  if (setup instanceof ConfigError) throw setup;
  return setup;
}

function depsFor(setup: WorkerSetup): { deps: Deps; database: Database } {
  const { config } = setup;
  const database = connectPostgres(setup.databaseUrl, { max: DB_CONNECTIONS });
  const mailer = createResendMailer({ apiKey: setup.resendApiKey, ...(config.RESEND_BASE_URL ? { baseUrl: config.RESEND_BASE_URL } : {}) });
  const deps: Deps = { db: database.db, dbKind: "postgres", config, clock: systemClock, mailer, log: createLogger(config.LOG_LEVEL), embedder: setup.embedder };
  return { deps, database };
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let setup: WorkerSetup;
    try {
      setup = setupFor(env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return new Response(`World Digest is not configured yet. ${error.message}\n`, {
        status: 503,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    const { deps, database } = depsFor(setup);
    // Confirmations and manage links are sent after the answer (the form answers alike for every address):
    // waitUntil keeps the invocation alive for it; the connection closes once that is done. Whatever does
    // not fit is sent by the next tick trigger.
    let queued = false;
    try {
      return await createApp({ ...deps, mailQueued: () => (queued = true) }).fetch(request, env, ctx);
    } finally {
      const after = queued ? drainMailQueue(deps, { limit: MAIL_PER_REQUEST, maxRounds: 1 }).catch((error: unknown) => deps.log.error("mail queue drain failed", { error: String(error) })) : Promise.resolve();
      ctx.waitUntil(after.finally(() => database.close()));
    }
  },

  async scheduled(controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    const setup = setupFor(env);
    const job = jobFor(controller.cron, setup.config);
    const log = createLogger(setup.config.LOG_LEVEL);
    if (!job) {
      log.error("no job for this Cron Trigger: TICK_CRON and INGEST_CRON must match the crons in wrangler.toml", {
        cron: controller.cron,
        tickCron: setup.config.TICK_CRON,
        ingestCron: setup.config.INGEST_CRON,
      });
      return;
    }
    const { deps, database } = depsFor(setup);
    const run = async (): Promise<unknown> => {
      if (job === "ingest") return workerIngestion(deps, setup.limits);
      if (!setup.queue) return workerTick(deps, setup.limits);
      await sweepServiceMail(deps, withProviderBudget(deps.mailer, TICK_SERVICE_MAIL, MAX_RETRY_AFTER_MS + 1_000));
      const result = await fanOutDigests(deps, setup.queue, { planSubscribers: setup.limits.planSubscribers }, { sweep: true });
      deps.log.info("digest tick (fan-out through the queue)", { ...result });
      return result;
    };
    const work = run().finally(() => database.close());
    ctx.waitUntil(work);
    await work;
  },

  async queue(batch: QueueMessageBatch, env: WorkerEnv, ctx: ExecutionContext): Promise<void> {
    // A configuration error throws: the messages are retried, their batches stay in the database.
    const setup = setupFor(env);
    const { deps, database } = depsFor(setup);
    const work = consumeDigestQueue(deps, batch, {
      planSubscribers: setup.limits.planSubscribers,
      deadLetterQueue: setup.deadLetterQueue,
      queue: setup.queue,
      retrySeconds: setup.limits.queueRetrySeconds,
    }).finally(() => database.close());
    ctx.waitUntil(work);
    await work;
  },
};
