// Node only: the scheduled work of `npm start` — feed ingestion (INGEST_CRON), the digest tick
// (TICK_CRON) and, on the tick's schedule, the mail queue with the purge of expired requests (the
// drainer also runs right after each answer that queued mail) — with node-cron. A job that throws is logged and tried again at its next time: the
// scheduler itself never stops. On the embedded default, the first run also makes a first digest.
import cron from "node-cron";
import type { Deps } from "../deps";
import { runTick } from "../digest/tick";
import { runIngestion } from "../ingest/ingest";
import { nodeIngestDeps } from "./ingest-deps";
import { createTranslator } from "../translate/create-translator";
import { ensureDemoSubscriber } from "../digest/demo";
import type { MailDrainer } from "./mail-drainer";

export interface Jobs {
  /** Stops the schedules and waits for a running job to finish. */
  stop(): Promise<void>;
}

export function startJobs(deps: Deps, drainer: MailDrainer): Jobs {
  const { log, config } = deps;
  const translator = createTranslator(config);
  const running = new Set<Promise<unknown>>();

  const guarded = (name: string, job: () => Promise<unknown>) => async () => {
    const p = job().catch((err: unknown) => log.error(`${name} failed`, { error: err instanceof Error ? err.message : String(err) }));
    running.add(p);
    await p;
    running.delete(p);
  };

  // runIngestion logs its own summary line (failing feeds are kept on their source row: GET /api/sources).
  const ingest = guarded("ingestion", () => runIngestion(nodeIngestDeps(deps), { now: deps.clock(), translator }));
  const tick = guarded("digest tick", () => runTick(deps));

  // First run: content first, then (embedded default only) a sample subscriber, then a tick, so a
  // newcomer finds a real digest in the outbox within a minute of `npm start`.
  void guarded("first run", async () => {
    await ingest();
    if (!config.production && !config.RESEND_API_KEY) await ensureDemoSubscriber(deps, deps.clock());
    await tick();
  })();

  const tasks = [
    cron.schedule(config.INGEST_CRON, ingest, { name: "ingest", noOverlap: true }),
    cron.schedule(config.TICK_CRON, tick, { name: "tick", noOverlap: true }),
    cron.schedule(config.TICK_CRON, guarded("mail queue", () => drainer.run({ purge: true })), { name: "mail-queue", noOverlap: true }),
  ];

  return {
    async stop() {
      for (const task of tasks) await task.stop();
      await Promise.all(running);
      await drainer.stop();
    },
  };
}
