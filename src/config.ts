// Configuration: parsed once, at start-up, from the environment. A bad value stops start-up with one line
// naming the variable and what it expects. Pure: no file or network access (runs on Workers too).
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "expects true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (min: number, max: number) =>
  z.coerce
    .number({ message: `expects a whole number from ${min} to ${max}` })
    .int({ message: `expects a whole number from ${min} to ${max}` })
    .min(min, { message: `expects a whole number from ${min} to ${max}` })
    .max(max, { message: `expects a whole number from ${min} to ${max}` });
const num = (min: number, max: number) =>
  z.coerce
    .number({ message: `expects a number from ${min} to ${max}` })
    .min(min, { message: `expects a number from ${min} to ${max}` })
    .max(max, { message: `expects a number from ${min} to ${max}` });
const httpUrl = z
  .string()
  .url({ message: "expects an http(s) URL" })
  .refine((v) => /^https?:\/\//i.test(v), { message: "expects an http(s) URL" });
const cron = z
  .string()
  .regex(/^(\S+\s+){4,5}\S+$/, { message: "expects a cron expression such as */30 * * * *" });

/** Where the client's address is read from; see TRUST_PROXY. */
export type ClientAddressSource = { from: "socket" } | { from: "x-forwarded-for"; hops: number } | { from: "cf-connecting-ip" };

/** Every variable the service reads, with its default. README's configuration table mirrors this. */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"], { message: "expects development, production or test" }).default("development"),
  PORT: int(1, 65535).default(8787),
  PUBLIC_URL: httpUrl.optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: "expects a postgres:// or postgresql:// URL" })
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  APP_SECRET: z.string().min(32, { message: "expects at least 32 characters (e.g. openssl rand -hex 32)" }).optional(),
  API_TOKEN: z.string().min(24, { message: "expects at least 24 characters" }).optional(),
  MAIL_FROM: z.string().min(3).default("World Digest <digest@localhost>"),
  MAIL_REPLY_TO: z.string().email({ message: "expects an email address" }).optional(),
  POSTAL_ADDRESS: z.string().min(1).default("World Digest, 1 Example Street, Springfield, USA"),
  RESEND_API_KEY: z.string().min(1).optional(),
  RESEND_BASE_URL: httpUrl.optional(),
  RESEND_WEBHOOK_SECRET: z.string().min(1).optional(),
  SEND_RATE_PER_SECOND: num(0.1, 1000).default(2),
  DEEPL_API_KEY: z.string().min(1).optional(),
  DEEPL_BASE_URL: httpUrl.optional(),
  LIBRETRANSLATE_URL: httpUrl.optional(),
  LIBRETRANSLATE_API_KEY: z.string().min(1).optional(),
  /**
   * Optional semantic embeddings for story grouping (src/embeddings/): the full URL of an OpenAI-compatible
   * embeddings endpoint (e.g. http://localhost:11434/v1/embeddings for Ollama), its model (required with
   * the URL; on Workers with the AI binding and no URL, default @cf/baai/bge-m3) and key.
   */
  EMBEDDINGS_URL: httpUrl.optional(),
  EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  EMBEDDINGS_MODEL: z.string().min(1).max(200).optional(),
  /** The longest one run waits for the provider, all requests together; then grouping goes on without. */
  EMBEDDINGS_TIMEOUT_MS: int(100, 120_000).default(10_000),
  /** Articles embedded at most per run (the rest: the next run). */
  EMBEDDINGS_PER_RUN: int(1, 100_000).default(500),
  /** Logit added per unit of cosine above EMBEDDINGS_MIDPOINT (not fitted: see README). */
  EMBEDDINGS_WEIGHT: num(0, 100).default(6),
  EMBEDDINGS_MIDPOINT: num(-1, 1).default(0.6),
  TICK_CRON: cron.default("* * * * *"),
  INGEST_CRON: cron.default("*/30 * * * *"),
  /**
   * Articles left untranslated (a quota or rate-limit stop) translated per ingestion run, newest first,
   * while still in the grouping window; 0 never translates them later.
   */
  RETRANSLATE_PER_RUN: int(0, 10_000).default(200),
  DIGEST_MAX_PER_COUNTRY: int(1, 20).default(3),
  DIGEST_MAX_STORIES: int(1, 50).default(15),
  DIGEST_LATE_AFTER_HOURS: num(0.25, 24).default(6),
  RETENTION_DAYS: int(1, 3650).default(30),
  FEED_ALLOW_PRIVATE: bool.default(false),
  FEED_TIMEOUT_MS: int(100, 120_000).default(15_000),
  FEED_MAX_BYTES: int(1024, 100_000_000).default(5_000_000),
  FEED_CONCURRENCY: int(1, 64).default(8),
  SAMPLE_CONTENT: z.enum(["auto", "on", "off"], { message: "expects auto, on or off" }).default("auto"),
  RATE_LIMIT_SUBSCRIBE_PER_HOUR: int(1, 100_000).default(20),
  /**
   * Where the client's address comes from (rate limits): the socket (false), the X-Forwarded-For entry
   * the n-th proxy in front of us appended (1 to 9; true = 1), or CF-Connecting-IP (cloudflare). On
   * Workers it is always CF-Connecting-IP, which the platform sets (src/worker/setup.ts).
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|yes|no|[0-9]|cloudflare)$/i, { message: "expects false, a number of proxies (1 to 9), or cloudflare" })
    .default("false")
    .transform((v): ClientAddressSource => {
      const value = v.toLowerCase();
      if (value === "cloudflare") return { from: "cf-connecting-ip" };
      const hops = value === "true" || value === "yes" ? 1 : value === "false" || value === "no" ? 0 : Number(value);
      return hops === 0 ? { from: "socket" } : { from: "x-forwarded-for", hops };
    }),
  /** The interface `npm start` listens on; unset: loopback outside production, every interface in production. */
  HOST: z
    .string()
    .regex(/^(localhost|[0-9a-f:.]+|[a-z0-9-]+(\.[a-z0-9-]+)*)$/i, { message: "expects an address to listen on, e.g. 127.0.0.1, 0.0.0.0 or ::" })
    .optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"], { message: "expects debug, info, warn or error" }).default("info"),
  /** Node: what this process runs — the web, the scheduled jobs, or both (src/node/process-role.ts). */
  PROCESS_ROLE: z.enum(["all", "web", "jobs"], { message: "expects all, web or jobs" }).default("all"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, "HOST"> {
  /** Where links in emails point; PUBLIC_URL or http://localhost:PORT, without trailing slash. */
  publicUrl: string;
  /** HOST, or its default: 127.0.0.1 outside production (/dev/outbox lists live links), 0.0.0.0 in production. */
  HOST: string;
  appSecret: string;
  production: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment. Empty strings count as unset. Throws ConfigError with one line per bad variable. */
export function parseEnv(env: Record<string, string | undefined>): Env {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") cleaned[key] = value.trim();
  }
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join("; ")}`);
  }
  return result.data;
}

/**
 * Completes the parsed environment. `appSecret` comes from APP_SECRET, or (embedded default only) from
 * the caller, which keeps a generated one in the data folder. Production refuses to run without secrets.
 */
export function buildConfig(env: Env, generatedSecret?: string): Config {
  const production = env.NODE_ENV === "production";
  const appSecret = env.APP_SECRET ?? (production ? undefined : generatedSecret);
  if (!appSecret) {
    throw new ConfigError(
      "Invalid configuration: APP_SECRET: expects at least 32 characters (required when NODE_ENV=production)",
    );
  }
  if (production && !env.PUBLIC_URL) {
    throw new ConfigError("Invalid configuration: PUBLIC_URL: expects an http(s) URL (required when NODE_ENV=production)");
  }
  if (env.EMBEDDINGS_URL && !env.EMBEDDINGS_MODEL) {
    throw new ConfigError("Invalid configuration: EMBEDDINGS_MODEL: required with EMBEDDINGS_URL (the model the endpoint should use, e.g. text-embedding-3-small or bge-m3)");
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
  return { ...env, HOST: env.HOST ?? (production ? "0.0.0.0" : "127.0.0.1"), publicUrl, appSecret, production };
}

/** A complete config for tests and tools: defaults plus overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const env = parseEnv({ NODE_ENV: "test" });
  return { ...buildConfig(env, "test-secret-test-secret-test-secret-0123"), ...overrides };
}
