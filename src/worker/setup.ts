// Workers: from the Worker's `env` (vars, secrets, the Hyperdrive and queue bindings) to what the service
// needs — the configuration, the per-trigger limits, the database address and the digest queue, if bound.
// Pure; checked once per isolate.
// A missing or bad value is a ConfigError naming it, shown at the first request and the first trigger.
import { z } from "zod";
import { buildConfig, ConfigError, parseEnv, type Config } from "../config";
import type { Embedder } from "../embeddings/embedder";
import { createEmbedder } from "../embeddings/create-embedder";
import { isWorkersAi } from "../embeddings/workers-ai-embedder";
import type { DigestQueue } from "./queue-messages";

/** The Worker's bindings: strings from [vars] and secrets, the Hyperdrive binding and the digest queue. */
export interface WorkerEnv {
  HYPERDRIVE?: { connectionString: string };
  DIGEST_QUEUE?: unknown;
  /** The Workers AI binding ([ai] in wrangler.toml): embeddings for story grouping. */
  AI?: unknown;
  [name: string]: unknown;
}

/** How much one Cron Trigger invocation may do; whatever does not fit is picked up by the next one. */
export interface WorkerLimits {
  /** Subscribers planned per tick (WORKER_TICK_LIMIT). */
  tickSubscribers: number;
  /** Provider requests (batches of up to 100 emails, retries included) per tick (WORKER_TICK_BATCHES). */
  tickBatches: number;
  /** Feeds fetched per ingestion trigger, the longest-unfetched first (WORKER_INGEST_SOURCES). */
  ingestSources: number;
  /** With Queues: subscribers planned per invocation, by the trigger or a "plan more" message (WORKER_PLAN_LIMIT). */
  planSubscribers: number;
  /** With Queues: first delay before a handed-back batch is delivered again, doubling per try (WORKER_QUEUE_RETRY_SECONDS). */
  queueRetrySeconds: number;
}

export interface WorkerSetup {
  config: Config;
  limits: WorkerLimits;
  /** Hyperdrive's connection string; DATABASE_URL only when there is no Hyperdrive binding. */
  databaseUrl: string;
  /** Resend's API key (required on Workers: there is no local outbox). */
  resendApiKey: string;
  /**
   * The DIGEST_QUEUE producer binding ([[queues.producers]] in wrangler.toml): the morning fans out through
   * Cloudflare Queues. null (an older wrangler.toml): the cron-only tick sends, bounded per trigger.
   */
  queue: DigestQueue | null;
  /** The dead-letter queue's name (DIGEST_DEAD_LETTER_QUEUE), equal to dead_letter_queue in wrangler.toml. */
  deadLetterQueue: string;
  /** EMBEDDINGS_URL's endpoint, else the AI binding (Workers AI), else null: grouping is lexical only. */
  embedder: Embedder | null;
}

const limit = (name: string, max: number, fallback: number) =>
  z.coerce
    .number({ message: `${name}: expects a whole number from 1 to ${max}` })
    .int({ message: `${name}: expects a whole number from 1 to ${max}` })
    .min(1, { message: `${name}: expects a whole number from 1 to ${max}` })
    .max(max, { message: `${name}: expects a whole number from 1 to ${max}` })
    .default(fallback);

// Defaults sized for the Workers Paid plan (1,000 subrequests and 30 s of CPU per invocation by default):
// 20 provider requests and 2,000 planned subscribers per tick (every 5 minutes: up to 24,000 emails an
// hour); 50 feeds per ingestion trigger, at most 6 requests each (redirects), plus translation requests.
const limitsSchema = z.object({
  WORKER_TICK_LIMIT: limit("WORKER_TICK_LIMIT", 100_000, 2_000),
  WORKER_TICK_BATCHES: limit("WORKER_TICK_BATCHES", 1_000, 20),
  WORKER_INGEST_SOURCES: limit("WORKER_INGEST_SOURCES", 1_000, 50),
  WORKER_PLAN_LIMIT: limit("WORKER_PLAN_LIMIT", 100_000, 10_000),
  WORKER_QUEUE_RETRY_SECONDS: limit("WORKER_QUEUE_RETRY_SECONDS", 600, 30),
  DIGEST_DEAD_LETTER_QUEUE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: "DIGEST_DEAD_LETTER_QUEUE: expects a queue name (lower-case letters, digits, dashes)" })
    .default("world-digest-dlq"),
});

/** A queue producer binding: something with send() and sendBatch(). */
function queueBinding(value: unknown): DigestQueue | null {
  const q = value as Partial<DigestQueue> | null | undefined;
  return q && typeof q === "object" && typeof q.send === "function" && typeof q.sendBatch === "function" ? (q as DigestQueue) : null;
}

/** The string-valued bindings (vars and secrets), with empty strings as unset. */
function stringsOf(env: WorkerEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (typeof value === "string" && value.trim() !== "") out[key] = value.trim();
  }
  return out;
}

/** Reads and checks everything; throws ConfigError naming the first bad or missing values. */
export function workerSetup(env: WorkerEnv): WorkerSetup {
  const strings = stringsOf(env);
  // No generated secret on Workers (no disk to keep it on): buildConfig requires APP_SECRET.
  const parsed = parseEnv(strings);
  // The offline sample feeds are files in the repository, not part of the Worker. The client address is
  // CF-Connecting-IP, which Cloudflare sets on every request (a client's own value is replaced), whatever
  // TRUST_PROXY says: there is no socket, and no other proxy in front.
  const config = buildConfig({ ...parsed, SAMPLE_CONTENT: "off", TRUST_PROXY: { from: "cf-connecting-ip" } });
  const limits = limitsSchema.safeParse(strings);
  if (!limits.success) throw new ConfigError(`Invalid configuration: ${limits.error.issues.map((i) => i.message).join("; ")}`);
  if (!config.RESEND_API_KEY) {
    throw new ConfigError(
      "Invalid configuration: RESEND_API_KEY: required on Cloudflare Workers (there is no local outbox); set it with `npx wrangler secret put RESEND_API_KEY`",
    );
  }
  const hyperdrive = env.HYPERDRIVE?.connectionString;
  const databaseUrl = typeof hyperdrive === "string" && hyperdrive ? hyperdrive : config.DATABASE_URL;
  if (!databaseUrl) {
    throw new ConfigError(
      "Invalid configuration: HYPERDRIVE: no Hyperdrive binding (see wrangler.toml) and no DATABASE_URL to connect to directly",
    );
  }
  return {
    config,
    limits: {
      tickSubscribers: limits.data.WORKER_TICK_LIMIT,
      tickBatches: limits.data.WORKER_TICK_BATCHES,
      ingestSources: limits.data.WORKER_INGEST_SOURCES,
      planSubscribers: limits.data.WORKER_PLAN_LIMIT,
      queueRetrySeconds: limits.data.WORKER_QUEUE_RETRY_SECONDS,
    },
    databaseUrl,
    resendApiKey: config.RESEND_API_KEY,
    queue: queueBinding(env.DIGEST_QUEUE),
    deadLetterQueue: limits.data.DIGEST_DEAD_LETTER_QUEUE,
    embedder: createEmbedder(config, { ai: isWorkersAi(env.AI) ? env.AI : null }),
  };
}
