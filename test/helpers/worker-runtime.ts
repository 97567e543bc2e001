// Running the Worker as it is deployed, for the Miniflare tests and the CPU measurement: the bundle that
// `wrangler deploy --dry-run` builds, wrangler.toml as wrangler reads it, and the CPU time the local
// workerd process has used (Linux /proc; workerd is the runtime Miniflare starts as a child process).
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";

export const repo = resolve(import.meta.dirname, "../..");

/** Builds the Worker bundle into a fresh folder (worker.js and its source map). */
export async function buildWorker(): Promise<{ ok: boolean; output: string; outDir: string }> {
  const outDir = mkdtempSync(join(tmpdir(), "wd-worker-"));
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(repo, "node_modules/wrangler/bin/wrangler.js"), "deploy", "--dry-run", "--outdir", outDir],
      { cwd: repo, env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" }, timeout: 120_000 },
    );
    return { ok: true, output: stdout + stderr, outDir };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: string }).stderr ?? error), outDir };
  }
}

export interface WranglerQueues {
  producers: Array<{ binding: string; queue: string }>;
  consumers: Array<{ queue: string; max_batch_size?: number; max_batch_timeout?: number; max_retries?: number; dead_letter_queue?: string; retry_delay?: number; max_concurrency?: number | null }>;
}

export interface WranglerConfig {
  compatibility_date: string;
  compatibility_flags: string[];
  triggers: { crons?: string[] };
  vars: Record<string, string>;
  queues: WranglerQueues;
}

/** wrangler.toml as wrangler reads it (imported lazily: loading wrangler takes a moment). */
export async function readWranglerConfig(): Promise<WranglerConfig> {
  const { unstable_readConfig } = await import("wrangler");
  return unstable_readConfig({ config: join(repo, "wrangler.toml") }) as unknown as WranglerConfig;
}

/** A Hyperdrive URL Miniflare accepts (it wants a password; with trust authentication any one does). */
export function hyperdriveUrl(url: string): string {
  const u = new URL(url);
  if (!u.password) u.password = "local";
  return u.toString();
}

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system, ms) of the workerd processes this Node process started. */
export function workerdCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid ... utime stime: fields 14 and 15, counted after the closing parenthesis.
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (comm !== "workerd" || Number(fields[1]) !== process.pid) continue;
    total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  }
  return total;
}

/**
 * A Worker module wrapping the real bundle (./worker.js), for fault injection from outside our code, as
 * the crash tests kill the Node sender: its queue() can throw in the middle of an invocation (after the
 * first message was acknowledged, the others still in flight) and deliver chosen messages twice (sending
 * a copy to the queue). GET /__chaos reports what it saw, POST /__chaos sets what to do. Everything else
 * is the real Worker's.
 */
export function writeChaosWrapper(outDir: string, mainQueue: string): string {
  const path = join(outDir, "chaos.js");
  writeFileSync(
    path,
    `import worker from "./worker.js";
const state = { throwOnInvocations: [], duplicateEvery: 0, invocations: 0, thrown: 0, throws: [], duplicated: 0, sendMessages: 0, seen: {}, active: 0, lastActivity: 0 };
const keyOf = (body) => JSON.stringify(body);
export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__chaos") {
      if (request.method === "POST") Object.assign(state, await request.json());
      return Response.json({ ...state, now: Date.now() });
    }
    return worker.fetch(request, env, ctx);
  },
  scheduled(controller, env, ctx) {
    return worker.scheduled(controller, env, ctx);
  },
  async queue(batch, env, ctx) {
    const n = ++state.invocations;
    state.active++;
    state.lastActivity = Date.now();
    try {
      for (const m of batch.messages) {
        state.seen[keyOf(m.body)] = (state.seen[keyOf(m.body)] ?? 0) + 1;
        if (batch.queue === ${JSON.stringify(mainQueue)} && m.body && m.body.kind === "send" && state.duplicateEvery > 0 && ++state.sendMessages % state.duplicateEvery === 0) {
          await env.DIGEST_QUEUE.send(m.body, { contentType: "json" });
          state.duplicated++;
        }
      }
      if (!state.throwOnInvocations.includes(n)) return await worker.queue(batch, env, ctx);
      let firstAck;
      let acks = 0;
      const acked = new Promise((resolve) => (firstAck = resolve));
      const messages = batch.messages.map((m) => ({
        id: m.id, timestamp: m.timestamp, body: m.body, attempts: m.attempts,
        ack() { m.ack(); acks++; firstAck(); },
        retry(options) { m.retry(options); },
      }));
      const run = worker.queue({ queue: batch.queue, messages, metadata: batch.metadata, ackAll: () => batch.ackAll(), retryAll: (o) => batch.retryAll(o) }, env, ctx);
      await Promise.race([acked, run]);
      state.thrown++;
      state.throws.push({ messages: messages.length, acked: acks });
      throw new Error("chaos: the consumer crashed in the middle of its batch");
    } finally {
      state.active--;
      state.lastActivity = Date.now();
    }
  },
};
`,
  );
  return path;
}
