// The Worker's configuration from its env (vars, secrets, the Hyperdrive and queue bindings): what it
// requires, and the message naming what is missing.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config";
import { workerSetup, type WorkerEnv } from "../src/worker/setup";

const base: WorkerEnv = {
  NODE_ENV: "production",
  PUBLIC_URL: "https://digest.example.com",
  APP_SECRET: "worker-setup-secret-worker-setup-secret-01",
  RESEND_API_KEY: "re_key",
  HYPERDRIVE: { connectionString: "postgres://user:pw@hyperdrive.local:5432/db" },
};

function problem(env: WorkerEnv): string {
  try {
    workerSetup(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("workerSetup", () => {
  it("connects through Hyperdrive, with the default per-trigger limits", () => {
    const setup = workerSetup({ ...base, DATABASE_URL: "postgres://direct@db.example.com/db" });
    expect(setup.databaseUrl).toBe("postgres://user:pw@hyperdrive.local:5432/db");
    expect(setup.limits).toEqual({ tickSubscribers: 2000, tickBatches: 20, ingestSources: 50, planSubscribers: 10_000, queueRetrySeconds: 30 });
    expect(setup.config.production).toBe(true);
  });

  it("falls back to DATABASE_URL only without a Hyperdrive binding", () => {
    const { HYPERDRIVE: _, ...noBinding } = base;
    expect(workerSetup({ ...noBinding, DATABASE_URL: "postgres://direct@db.example.com/db" }).databaseUrl).toBe("postgres://direct@db.example.com/db");
    expect(problem(noBinding)).toMatch(/HYPERDRIVE: no Hyperdrive binding/);
  });

  it("requires RESEND_API_KEY (no outbox on Workers) and APP_SECRET, naming them", () => {
    const { RESEND_API_KEY: _k, ...noKey } = base;
    expect(problem(noKey)).toMatch(/RESEND_API_KEY: required on Cloudflare Workers.*wrangler secret put RESEND_API_KEY/);
    const { APP_SECRET: _s, ...noSecret } = base;
    expect(problem(noSecret)).toMatch(/APP_SECRET/);
    expect(problem({ ...base, APP_SECRET: "short" })).toMatch(/APP_SECRET: expects at least 32 characters/);
  });

  it("reads the limits from vars and names a bad one", () => {
    const setup = workerSetup({
      ...base,
      WORKER_TICK_LIMIT: "50",
      WORKER_TICK_BATCHES: "3",
      WORKER_INGEST_SOURCES: "5",
      WORKER_PLAN_LIMIT: "700",
      WORKER_QUEUE_RETRY_SECONDS: "5",
    });
    expect(setup.limits).toEqual({ tickSubscribers: 50, tickBatches: 3, ingestSources: 5, planSubscribers: 700, queueRetrySeconds: 5 });
    expect(problem({ ...base, WORKER_PLAN_LIMIT: "0" })).toMatch(/WORKER_PLAN_LIMIT: expects a whole number from 1 to 100000/);
    expect(problem({ ...base, DIGEST_DEAD_LETTER_QUEUE: "Dead Letters!" })).toMatch(/DIGEST_DEAD_LETTER_QUEUE: expects a queue name/);
    expect(problem({ ...base, WORKER_TICK_BATCHES: "0" })).toMatch(/WORKER_TICK_BATCHES: expects a whole number from 1 to 1000/);
    expect(problem({ ...base, WORKER_INGEST_SOURCES: "many" })).toMatch(/WORKER_INGEST_SOURCES/);
  });

  it("never uses the sample content (files in the repository) and ignores non-string bindings", () => {
    const setup = workerSetup({ ...base, SAMPLE_CONTENT: "on", SOME_KV: { get() {} } });
    expect(setup.config.SAMPLE_CONTENT).toBe("off");
  });

  it("fans out through the queue only with the DIGEST_QUEUE producer binding (an older wrangler.toml: the cron-only tick)", () => {
    const queue = { send: async () => {}, sendBatch: async () => {} };
    const withQueue = workerSetup({ ...base, DIGEST_QUEUE: queue });
    expect(withQueue.queue).toBe(queue);
    expect(withQueue.deadLetterQueue).toBe("world-digest-dlq");
    expect(workerSetup(base).queue).toBeNull();
    // A var of that name (or another binding) is not a queue.
    expect(workerSetup({ ...base, DIGEST_QUEUE: "world-digest-batches" }).queue).toBeNull();
    expect(workerSetup({ ...base, DIGEST_DEAD_LETTER_QUEUE: "my-dlq" }).deadLetterQueue).toBe("my-dlq");
  });
});
