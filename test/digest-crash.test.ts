// Killing the sender: a real child process (test/fixtures/digest-sender.ts) runs the morning and is
// SIGKILLed at random moments, then started again; in the end the fake Resend's log must show exactly one
// email per due subscriber and no idempotency key with two different bodies. Then two worker processes
// share one PostgreSQL: no duplicate, no loss.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, inArray } from "drizzle-orm";
import { migrateDatabase } from "../db/migrate";
import { openPglite } from "../db/pglite";
import type { Db } from "../db/client";
import { deliveries, subscribers } from "../db/schema";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { startFakeResend, sentPerRecipient, type FakeResend } from "./helpers/fake-resend";
import { seedStory } from "./helpers/digest-world";
import { testConfig } from "../src/config";
import { createLogger } from "../src/log";
import { createResendMailer } from "../src/mail/resend-mailer";
import { DEFAULT_LEASE_MS, runTick } from "../src/digest/tick";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NOW = new Date("2026-05-11T07:05:00Z");
const onPostgres = Boolean(process.env.DATABASE_URL);
// PGlite is slower to open and to write (one session, WASM): fewer readers, kills spread over longer.
const SUBSCRIBERS = Number(process.env.CRASH_SUBSCRIBERS ?? (onPostgres ? 1000 : 400));
const KILL_WINDOW_MS = onPostgres ? 3_000 : 6_000;
const KILLS = Number(process.env.CRASH_KILLS ?? (onPostgres ? 8 : 5));

/** Small deterministic PRNG (mulberry32), so a failing run can be repeated with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function seedMorning(db: Db, n: number, random: () => number): Promise<string[]> {
  const countries = ["JP", "BR", "KE", "DE", "IN", "NG"];
  for (const [i, c] of countries.entries()) {
    for (let k = 0; k < 3; k++) {
      await seedStory(db, {
        title: `Story ${k + 1} from ${c}`,
        score: 0.3 + 0.1 * k,
        articles: [
          { country: c, publishedAt: new Date(NOW.getTime() - (3 + i + k) * 3_600_000) },
          { country: countries[(i + 1) % countries.length]!, publishedAt: new Date(NOW.getTime() - (4 + k) * 3_600_000) },
        ],
      });
    }
  }
  const emails = Array.from({ length: n }, (_, i) => `reader${i}@example.com`);
  const rows = emails.map((email) => {
    const mine = countries.filter(() => random() < 0.4);
    return { email, status: "active" as const, countries: mine.length ? mine : ["JP"], timeZone: "UTC", nextSendAt: new Date(NOW.getTime() - 5 * 60_000) };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insert(subscribers).values(rows.slice(i, i + 500));
  return emails;
}

interface Sender {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The process opened its database (startup done). */
  ready: Promise<void>;
  output: string[];
}

function startSender(target: { url?: string; dir?: string }, fakeUrl: string, clockStart: number, extraEnv: Record<string, string> = {}): Sender {
  const env: NodeJS.ProcessEnv = { ...process.env, CONCURRENCY: "1", RESEND_BASE_URL: fakeUrl, WD_NOW_MS: String(NOW.getTime()), WD_CLOCK_BASE_MS: String(NOW.getTime()), WD_CLOCK_START_MS: String(clockStart), ...extraEnv };
  delete env.DATABASE_URL;
  delete env.PGLITE_DIR;
  if (target.url) env.DATABASE_URL = target.url;
  else env.PGLITE_DIR = target.dir;
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/digest-sender.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve) => {
    const check = (d: Buffer) => d.toString().includes("SENDER READY") && resolve();
    child.stdout!.on("data", check);
    void exited.then(() => resolve());
  });
  return { child, exited, ready, output };
}

const sleep = (ms: number) => new Promise<null>((r) => setTimeout(() => r(null), ms));

/** Resolves true as soon as `check` holds (polled every millisecond), false after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await sleep(1);
  }
  return check();
}

function expectExactlyOnePerRecipient(fake: FakeResend, emails: string[]) {
  const per = sentPerRecipient(fake);
  const missing = emails.filter((e) => !per.has(e));
  const doubled = [...per].filter(([, list]) => list.length !== 1).map(([to, list]) => `${to}×${list.length}`);
  expect({ missing, doubled, violations: fake.violations }).toEqual({ missing: [], doubled: [], violations: [] });
  expect(per.size).toBe(emails.length);
}

describe("the sender killed at random points", () => {
  let fake: FakeResend;
  let database: TestDatabase | undefined;
  let dir: string | undefined;
  let target: { url?: string; dir?: string };
  let emails: string[];
  const seed = Number(process.env.CRASH_SEED ?? 20260511);

  beforeAll(async () => {
    // Slow answers stretch the morning so that kills land mid-batch, not only between runs.
    fake = await startFakeResend({ latencyMs: 80 });
    const random = prng(seed);
    if (onPostgres) {
      database = await createTestDatabase();
      emails = await seedMorning(database.db, SUBSCRIBERS, random);
      target = { url: database.url! };
    } else {
      dir = await mkdtemp(join(tmpdir(), "wd-crash-"));
      const pg = await openPglite(dir);
      await migrateDatabase(pg);
      emails = await seedMorning(pg.db, SUBSCRIBERS, random);
      await pg.close();
      target = { dir };
    }
  });
  afterAll(async () => {
    await fake.close();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(`every due subscriber gets exactly one email after ${KILLS} SIGKILLs and restarts`, async () => {
    const random = prng(seed + 1);
    const clockStart = Date.now();
    let kills = 0;
    let killsWhileSending = 0;
    let finishedEarly = false;
    for (let k = 0; k < KILLS; k++) {
      const sender = startSender(target, fake.url, clockStart);
      const requestsBefore = fake.requests.length;
      // Mostly while it works (planning, rendering, mid-request, recording), sometimes during start-up.
      const duringStartup = random() < 0.15;
      if (!duringStartup) await sender.ready;
      const code = await Promise.race([sender.exited, sleep(random() * (duringStartup ? 1500 : KILL_WINDOW_MS))]);
      if (code !== null) {
        // It finished the whole morning before this kill: nothing left to interrupt.
        expect(code, sender.output.join("")).toBe(0);
        finishedEarly = true;
        break;
      }
      sender.child.kill("SIGKILL");
      await sender.exited;
      kills++;
      if (fake.requests.length > requestsBefore) killsWhileSending++;
    }
    if (!finishedEarly) {
      const last = startSender(target, fake.url, clockStart);
      const code = await Promise.race([last.exited, sleep(120_000).then(() => "timeout" as const)]);
      expect(code, last.output.join("")).toBe(0);
    }
    console.log(`crash test (${onPostgres ? "postgres" : "pglite"}, seed ${seed}): ${kills} kills, ${killsWhileSending} while sending, ${fake.requests.length} requests for ${emails.length} subscribers`);
    expect(kills).toBeGreaterThan(0);
    expectExactlyOnePerRecipient(fake, emails);

    // The database agrees: one sent delivery each.
    const check = onPostgres ? database! : await openPglite(dir!);
    try {
      const [sent] = await check.db.select({ n: count() }).from(deliveries).where(eq(deliveries.status, "sent"));
      const [all] = await check.db.select({ n: count() }).from(deliveries);
      expect({ sent: Number(sent!.n), all: Number(all!.n) }).toEqual({ sent: emails.length, all: emails.length });
    } finally {
      if (!onPostgres) await check.close();
    }
  }, 300_000);
});

describe.skipIf(!onPostgres)("two worker processes on one PostgreSQL", () => {
  let fake: FakeResend;
  let database: TestDatabase;
  let emails: string[];

  beforeAll(async () => {
    fake = await startFakeResend({ latencyMs: 10 });
    database = await createTestDatabase();
    emails = await seedMorning(database.db, SUBSCRIBERS, prng(7));
  });
  afterAll(async () => {
    await fake.close();
    await database?.drop();
  });

  it("share the morning: no duplicate, no loss, both did work", async () => {
    const clockStart = Date.now();
    const workers = [startSender({ url: database.url! }, fake.url, clockStart), startSender({ url: database.url! }, fake.url, clockStart)];
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes, workers.map((w) => w.output.join("")).join("\n")).toEqual([0, 0]);
    expectExactlyOnePerRecipient(fake, emails);
    const [sent] = await database.db.select({ n: count() }).from(deliveries).where(eq(deliveries.status, "sent"));
    expect(Number(sent!.n)).toBe(emails.length);
    // Each worker's tick lines say how much it sent; both must have taken part.
    const sentBy = workers.map((w) =>
      w.output
        .join("")
        .split("\n")
        .filter((l) => l.includes('"msg":"digest tick"'))
        .reduce((sum, l) => sum + (JSON.parse(l) as { sent: number }).sent, 0),
    );
    console.log(`two workers sent ${sentBy.join(" + ")} of ${emails.length}`);
    expect(sentBy[0]! + sentBy[1]!).toBe(emails.length);
    expect(sentBy.every((n) => n > 0)).toBe(true);
  }, 120_000);
});

// Issue 14, part 2: after a crash, the batches the dead sender held wait for their leases; the first tick
// after they expire must take over every one of them, not one or two per tick (its workers used to share a
// "nothing expired" timer that the loser of a race for one batch set for 30 s).
describe("a sender killed mid-send: the first tick after the leases expire takes over everything it held", () => {
  let fake: FakeResend;
  let database: TestDatabase | undefined;
  let dir: string | undefined;
  let target: { url?: string; dir?: string };
  let emails: string[];

  beforeAll(async () => {
    // Slow answers: the kill lands while batches are at the provider and more wait, claimed, behind them.
    fake = await startFakeResend({ latencyMs: 150 });
    const random = prng(1414);
    if (onPostgres) {
      database = await createTestDatabase();
      emails = await seedMorning(database.db, 1500, random);
      target = { url: database.url! };
    } else {
      dir = await mkdtemp(join(tmpdir(), "wd-takeover-"));
      const pg = await openPglite(dir);
      await migrateDatabase(pg);
      emails = await seedMorning(pg.db, 800, random);
      await pg.close();
      target = { dir };
    }
  }, 120_000);
  afterAll(async () => {
    await fake.close();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("one tick sends every held batch, each reader exactly once", async () => {
    const clockStart = Date.now();
    // As a new user runs it: batches of 100, planning chunks of 1,000, the default lease and concurrency.
    const sender = startSender(target, fake.url, clockStart, {
      BATCH_SIZE: "100",
      CHUNK_SIZE: "1000",
      LEASE_MS: String(DEFAULT_LEASE_MS),
      CONCURRENCY: onPostgres ? "4" : "2",
    });
    await sender.ready;
    const midSend = await until(() => fake.requests.some((r) => r.status !== 0) && fake.requests.some((r) => r.status === 0), 60_000);
    sender.child.kill("SIGKILL");
    await sender.exited;
    expect(midSend, sender.output.join("")).toBe(true);

    const database_ = onPostgres ? database! : await openPglite(dir!);
    try {
      const db = database_.db;
      const held = await db.selectDistinct({ key: deliveries.batchKey }).from(deliveries).where(eq(deliveries.status, "sending"));
      // More than the one or two batches a tick used to take over.
      expect(held.length).toBeGreaterThanOrEqual(3);

      const lines: string[] = [];
      const result = await runTick(
        {
          db,
          dbKind: database_.kind,
          config: testConfig({ publicUrl: "http://localhost:8787", RESEND_API_KEY: "re_crash_test", SEND_RATE_PER_SECOND: 1000 }),
          // One second after the last lease the dead sender took ran out.
          clock: () => new Date(NOW.getTime() + (Date.now() - clockStart) + DEFAULT_LEASE_MS + 1_000),
          mailer: createResendMailer({ apiKey: "re_crash_test", baseUrl: fake.url, timeoutMs: 10_000, streamBody: true }),
          log: createLogger("info", (line) => lines.push(line)),
        },
        { now: NOW },
      );
      const reclaimed = lines.filter((l) => l.includes("re-claimed after its lease expired")).map((l) => (JSON.parse(l) as { batchKey: string }).batchKey);
      console.log(`takeover (${onPostgres ? "postgres" : "pglite"}): ${held.length} batches held by the killed sender, ${reclaimed.length} re-claimed by one tick, which sent ${result.sent}`);
      expect(new Set(reclaimed)).toEqual(new Set(held.map((h) => h.key)));
      expect(result.stopped).toBeUndefined();

      const [left] = await db.select({ n: count() }).from(deliveries).where(inArray(deliveries.status, ["queued", "sending"]));
      const [sent] = await db.select({ n: count() }).from(deliveries).where(eq(deliveries.status, "sent"));
      expect({ left: Number(left!.n), sent: Number(sent!.n) }).toEqual({ left: 0, sent: emails.length });
      expectExactlyOnePerRecipient(fake, emails);
    } finally {
      if (!onPostgres) await database_.close();
    }
  }, 180_000);
});
