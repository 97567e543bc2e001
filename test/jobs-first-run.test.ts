// `npm start`'s first run on the embedded default: a newcomer's sample digest is written as soon as the
// sample content is in, while the real feeds are still on their way (offline they take minutes to fail);
// a service that already has subscribers waits for the real feeds before its first tick. The "real feed"
// is a local server that holds its answer until the test releases it, so the order is observed, not timed.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openPglite } from "../db/pglite";
import { migrateDatabase } from "../db/migrate";
import { articles } from "../db/schema";
import { testConfig } from "../src/config";
import { silentLogger } from "../src/log";
import type { Deps } from "../src/deps";
import { DEMO_EMAIL } from "../src/digest/demo";
import { sampleSources } from "../src/feeds/sample-feeds";
import { startJobs, type Jobs } from "../src/node/jobs";
import { createMailDrainer } from "../src/node/mail-drainer";
import { createMemoryMailer, type MemoryMailer } from "./helpers/memory-mailer";
import { addSubscriber } from "./helpers/digest-world";

const NEVER = "0 0 1 1 *"; // the schedules stay out of the way: only the first run runs

interface HeldFeed {
  url: string;
  /** Requests received and not yet answered. */
  waiting: ServerResponse[];
  requested: Promise<void>;
  release(): void;
  close(): Promise<void>;
}

/** A real feed that answers only when released. */
async function heldFeed(): Promise<HeldFeed> {
  const waiting: ServerResponse[] = [];
  let released = false;
  let onRequest!: () => void;
  const requested = new Promise<void>((resolve) => (onRequest = resolve));
  const body = `<rss version="2.0"><channel><title>Real</title><link>https://real.example.org/</link>
    <item><title>A real story from a real outlet</title><link>https://real.example.org/1</link></item></channel></rss>`;
  const answer = (res: ServerResponse) => res.writeHead(200, { "content-type": "application/rss+xml" }).end(body);
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    res.shouldKeepAlive = false;
    if (released) answer(res);
    else waiting.push(res);
    onRequest();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`,
    waiting,
    requested,
    release() {
      released = true;
      for (const res of waiting.splice(0)) answer(res);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function until(what: string, done: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(): Promise<{ deps: Deps; mailer: MemoryMailer; feed: HeldFeed; jobs: () => Jobs }> {
  // The embedded default is what a newcomer runs: PGlite, whatever database the suite runs on.
  const database = await openPglite(null);
  await migrateDatabase(database);
  const feed = await heldFeed();
  const mailer = createMemoryMailer();
  const deps: Deps = {
    db: database.db,
    dbKind: "pglite",
    config: testConfig({ FEED_ALLOW_PRIVATE: true, FEED_TIMEOUT_MS: 60_000, TICK_CRON: NEVER, INGEST_CRON: NEVER }),
    clock: () => new Date(),
    mailer,
    log: silentLogger,
  };
  let jobs: Jobs | undefined;
  cleanups.push(() => database.close(), () => feed.close(), async () => {
    feed.release();
    await jobs?.stop();
  });
  const catalog = () => [
    { slug: "de-real", name: "Real Outlet", country: "DE", homepage: "https://real.example.org/", feedUrl: feed.url, language: "en", isReference: false, isSample: false },
    ...sampleSources(),
  ];
  return { deps, mailer, feed, jobs: () => (jobs ??= startJobs(deps, createMailDrainer(deps), { catalog })) };
}

describe("the first run of npm start", () => {
  it("writes the newcomer's sample digest while the real feeds are still loading, and only once", async () => {
    const { deps, mailer, feed, jobs } = await start();
    jobs();
    await until("the sample digest", () => mailer.sent.some((e) => e.to === DEMO_EMAIL));
    // The real feed has been asked and has not answered: the digest did not wait for it.
    await feed.requested;
    expect(feed.waiting).toHaveLength(1);
    const digest = mailer.sent.find((e) => e.to === DEMO_EMAIL)!;
    expect(digest.subject).toMatch(/overlooked stor/);

    feed.release();
    await until("the real feed's article", async () => (await deps.db.select().from(articles).where(eq(articles.url, "https://real.example.org/1"))).length === 1);
    await jobs().stop();
    expect(mailer.sent.filter((e) => e.to === DEMO_EMAIL)).toHaveLength(1);
  }, 60_000);

  it("makes no early digest when someone has subscribed: their first tick waits for the real feeds", async () => {
    const { deps, mailer, feed, jobs } = await start();
    await addSubscriber(deps.db, { email: "reader@example.com", countries: ["DE", "JP"], nextSendAt: new Date(Date.now() - 60_000) });
    jobs();
    await feed.requested; // the samples are in and the real feeds are being fetched: no digest yet
    expect(mailer.sent).toEqual([]);
    feed.release();
    await until("the first tick", () => mailer.sent.length > 0);
    await jobs().stop();
    expect(mailer.sent.map((e) => e.to)).toEqual(["reader@example.com"]);
  }, 60_000);
});
