// Node only: the scheduled work of `npm start` — feed ingestion (INGEST_CRON), the digest tick
// (TICK_CRON) and, on the tick's schedule, the mail queue with the purge of expired requests (the
// drainer also runs right after each answer that queued mail) — with node-cron. A job that throws is logged and tried again at its next time: the
// scheduler itself never stops. On the embedded default, the first run also makes a first digest.
import cron from "node-cron";
import type { Deps } from "../deps";
import { runTick } from "../digest/tick";
import { runIngestion, type IngestDeps } from "../ingest/ingest";
import { nodeIngestDeps } from "./ingest-deps";
import { createTranslator } from "../translate/create-translator";
import { ensureDemoSubscriber } from "../digest/demo";
import type { MailDrainer } from "./mail-drainer";

export interface Jobs {
  /** Stops the schedules and waits for a running job to finish. */
  stop(): Promise<void>;
}

/** Where ingestion reads feeds from, when not Node's defaults (tests: local servers, no catalog). */
export type JobFeeds = Partial<Pick<IngestDeps, "catalog" | "loadFeed">>;

export function startJobs(deps: Deps, drainer: MailDrainer, feeds: JobFeeds = {}): Jobs {
  const { log, config } = deps;
  const translator = createTranslator(config);
  const ingestDeps = () => nodeIngestDeps({ ...deps, ...feeds });
  const running = new Set<Promise<unknown>>();

  const guarded = (name: string, job: () => Promise<unknown>) => async () => {
    const p = job().catch((err: unknown) => log.error(`${name} failed`, { error: err instanceof Error ? err.message : String(err) }));
    running.add(p);
    await p;
    running.delete(p);
  };

  // runIngestion logs its own summary line (failing feeds are kept on their source row: GET /api/sources).
  const ingest = guarded("ingestion", () => runIngestion(ingestDeps(), { now: deps.clock(), translator }));
  const tick = guarded("digest tick", () => runTick(deps));

  // First run: content, then (embedded default, nobody subscribed yet) a sample subscriber, then a tick,
  // so a newcomer finds a real digest in the outbox. The sample subscriber's digest is made as soon as the
  // sample content is in, not after every catalog feed has answered: offline, that means waiting for ~190
  // DNS lookups to fail. Anyone else's first digest still waits for the whole run (samples first would
  // send them demo content while real feeds were on their way).
  void guarded("first run", async () => {
    let sampleDigest = false;
    await runIngestion(ingestDeps(), {
      now: deps.clock(),
      translator,
      afterSamples: async () => {
        if (!(await ensureDemoSubscriber(deps, deps.clock()))) return;
        sampleDigest = true;
        await tick();
      },
    });
    if (sampleDigest) return;
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
