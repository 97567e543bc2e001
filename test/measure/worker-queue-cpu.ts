// CPU of the Workers fan-out, measured in workerd (the runtime Cloudflare runs): the bundle that
// `wrangler deploy --dry-run` builds, in Miniflare, against PostgreSQL and the local fake Resend, on the
// world `npm run bench` generates (bench/generate.ts: realistic digests of 1-8 countries, 80 % returning
// readers). Not a test: README's Workers section derives digests per hour from what this prints.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx test/measure/worker-queue-cpu.ts [readers]
//
// 1. planning: one Cron Trigger invocation plans every reader and enqueues the batches (to a queue with no
//    consumer, so nothing is sent meanwhile);
// 2. sending: those batches' messages are put on a queue the consumer reads; it sends them all.
// CPU is the workerd process's own (user + system, /proc), minus its idle rate: it includes the Worker's
// code, postgres.js and the Resend SDK in workerd, and Miniflare's local queue broker (an overestimate of
// the CPU Cloudflare bills, which counts the Worker's code only).
import { rmSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { generateWorld } from "../../bench/generate";
import { createTestDatabase } from "../helpers/db";
import { startFakeResend } from "../helpers/fake-resend";
import { buildWorker, hyperdriveUrl, readWranglerConfig, workerdCpuMs } from "../helpers/worker-runtime";

const readers = Number(process.argv[2] ?? 10_000);
if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL: the Worker reaches PostgreSQL only (workerd cannot open PGlite)");

interface Runner {
  scheduled(options: { cron: string; scheduledTime?: Date }): Promise<{ outcome: string }>;
}

async function main() {
  const build = await buildWorker();
  if (!build.ok) throw new Error(build.output);
  const config = await readWranglerConfig();
  const tickCron = config.vars.TICK_CRON!;
  const database = await createTestDatabase();
  const fake = await startFakeResend();
  const now = new Date();
  const world = await generateWorld(database.db, { subscribers: readers, now });
  console.log(`world: ${world.subscribers} readers, ${world.stories} stories, ${world.countriesPerSubscriber.toFixed(1)} countries a reader`);

  const { Miniflare } = await import("miniflare");
  const common = {
    scriptPath: join(build.outDir, "worker.js"),
    modules: true,
    modulesRoot: build.outDir,
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    hyperdrives: { HYPERDRIVE: hyperdriveUrl(database.url!) },
    bindings: {
      ...config.vars,
      APP_SECRET: "measure-secret-measure-secret-measure-0123",
      RESEND_API_KEY: "re_measure",
      RESEND_BASE_URL: fake.url,
      WORKER_PLAN_LIMIT: String(readers),
      // The pacing statement runs for every request, but nothing waits for a slot.
      SEND_RATE_PER_SECOND: "1000",
      LOG_LEVEL: "warn",
    },
  };
  const consumer = config.queues.consumers.find((c) => c.queue === config.queues.producers[0]!.queue)!;
  const mf = new Miniflare({
    workers: [
      // Plans into a queue nobody consumes.
      { ...common, name: "planner", queueProducers: { DIGEST_QUEUE: { queueName: "measure-planned" } } },
      // Consumes as wrangler.toml says (batch size, timeout).
      {
        ...common,
        name: "sender",
        queueProducers: { DIGEST_QUEUE: { queueName: "measure-send" } },
        queueConsumers: { "measure-send": { maxBatchSize: consumer.max_batch_size, maxBatchTimeout: consumer.max_batch_timeout ?? 1, maxRetries: 2 } },
      },
    ],
  });
  await mf.ready;
  const idleStart = workerdCpuMs();
  const idleFrom = performance.now();
  await new Promise((r) => setTimeout(r, 3_000));
  const idleRate = (workerdCpuMs() - idleStart) / (performance.now() - idleFrom);

  // 1. Planning.
  let cpu = workerdCpuMs();
  let wall = performance.now();
  const planner = (await mf.getWorker("planner")) as unknown as Runner;
  const outcome = await planner.scheduled({ cron: tickCron, scheduledTime: now });
  if (outcome.outcome !== "ok") throw new Error(`the planning trigger failed: ${outcome.outcome}`);
  const planWall = performance.now() - wall;
  const planCpu = workerdCpuMs() - cpu - idleRate * planWall;
  const batches = (await database.db.execute(
    sql`select batch_key, array_agg(id::text order by id) as ids, count(*)::int as n from deliveries where status = 'sending' group by batch_key`,
  )) as unknown as Array<{ batch_key: string; ids: string[] | string; n: number }>;
  const planned = batches.reduce((n, b) => n + Number(b.n), 0);

  // 2. Sending.
  const queue = await mf.getQueueProducer<unknown>("DIGEST_QUEUE", "sender");
  cpu = workerdCpuMs();
  wall = performance.now();
  const messages = batches.map((b) => ({
    body: { kind: "send", batchKey: b.batch_key, deliveries: Array.isArray(b.ids) ? b.ids : String(b.ids).replace(/[{}]/g, "").split(",") },
    contentType: "json" as const,
  }));
  for (let i = 0; i < messages.length; i += 50) await queue.sendBatch(messages.slice(i, i + 50));
  for (;;) {
    const [row] = (await database.db.execute(sql`select count(*)::int as n from deliveries where status = 'sending'`)) as unknown as Array<{ n: number }>;
    if (Number(row!.n) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const sendWall = performance.now() - wall;
  const sendCpu = workerdCpuMs() - cpu - idleRate * sendWall;
  const sent = fake.sent.length;

  const figures = {
    readers,
    planned,
    batches: batches.length,
    sent,
    idleCpuMsPerSecond: Math.round(idleRate * 1000),
    planning: { cpuMs: Math.round(planCpu), wallMs: Math.round(planWall), cpuMsPer1000Readers: Math.round((planCpu / readers) * 1000) },
    sending: { cpuMs: Math.round(sendCpu), wallMs: Math.round(sendWall), cpuMsPerBatch: Math.round(sendCpu / batches.length), emailsPerBatch: Math.round(planned / batches.length) },
  };
  console.log(JSON.stringify(figures, null, 2));
  await mf.dispose();
  await fake.close();
  await database.drop();
  rmSync(build.outDir, { recursive: true, force: true });
}

await main();
