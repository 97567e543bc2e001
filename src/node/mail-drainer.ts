// Node only: sends the mail queue after the answer. The app calls kick() when it queued something; the
// drain starts on a later turn of the event loop (the answer is written first) and runs until the queue is
// empty, one drain at a time — a kick during a drain makes it look again once it is done. The job runner
// also runs it every minute with the purge of expired requests (src/node/jobs.ts), which catches anything
// a crash left leased.
import type { Deps } from "../deps";
import { drainMailQueue, type DrainOptions } from "../subscriptions/mail-queue";

export interface MailDrainer {
  /** Something was queued: drain soon. */
  kick(): void;
  /** Drain now (the scheduled run); resolves when this drain is done. */
  run(options?: DrainOptions): Promise<void>;
  /** Waits for a running drain to finish; no new one starts. */
  stop(): Promise<void>;
}

export function createMailDrainer(deps: Deps): MailDrainer {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const loop = async (options: DrainOptions) => {
    do {
      again = false;
      try {
        await drainMailQueue(deps, options);
      } catch (error) {
        deps.log.error("mail queue drain failed", { error: error instanceof Error ? error.message : String(error) });
      }
      options = {};
    } while (again && !stopped);
  };

  const run = (options: DrainOptions = {}): Promise<void> => {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = loop(options).finally(() => {
      running = null;
    });
    return running;
  };

  return {
    kick() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      setImmediate(() => void run());
    },
    run,
    async stop() {
      stopped = true;
      await running;
    },
  };
}
