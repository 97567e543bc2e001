// The real app on a listening loopback socket, wired as npm start wires it (the subscribe form queues the
// request; a drainer sends the service emails after the answer, to a local outbox), on a fresh test
// database with the outlet catalog seeded as start-up seeds it. For tests that drive it from outside (a
// browser): `base` is its address, also the PUBLIC_URL its emails link to.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { createApp } from "../../src/app";
import { testConfig } from "../../src/config";
import { silentLogger } from "../../src/log";
import { createOutboxMailer } from "../../src/mail/outbox-mailer";
import { createMailDrainer, type MailDrainer } from "../../src/node/mail-drainer";
import { seedSources } from "../../src/ingest/seed-sources";
import { readSourceCatalog } from "../../src/feeds/source-catalog";
import type { Deps } from "../../src/deps";
import { createTestDatabase, type TestDatabase } from "./db";

export interface ServedApp {
  database: TestDatabase;
  base: string;
  deps: Deps;
  drainer: MailDrainer;
  close(): Promise<void>;
}

export async function startServedApp(): Promise<ServedApp> {
  const database = await createTestDatabase();
  const outbox = createOutboxMailer(mkdtempSync(join(tmpdir(), "wd-outbox-")));
  // Listen first, so PUBLIC_URL (links in emails) can name the real port.
  let app: ReturnType<typeof createApp> | undefined;
  const server: ServerType = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deps: Deps = {
    db: database.db,
    dbKind: database.kind,
    config: testConfig({ publicUrl: base, SEND_RATE_PER_SECOND: 100 }),
    clock: () => new Date(),
    mailer: outbox,
    log: silentLogger,
    outbox,
  };
  const drainer = createMailDrainer(deps);
  app = createApp({ ...deps, mailQueued: drainer.kick });
  await seedSources(database.db, readSourceCatalog());
  return {
    database,
    base,
    deps,
    drainer,
    async close() {
      server.close();
      await drainer.stop();
      await database.drop();
    },
  };
}
