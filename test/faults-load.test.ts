// Load during a morning run: 20,000 due readers (WD_LOAD_SUBSCRIBERS; PGlite defaults to 5,000, its single
// session makes it slower) are planned and sent to the fake Resend server through the real SDK, while a
// load generator — a fetch loop with bounded concurrency against the app listening on 127.0.0.1, in the
// same process as the run, as `npm start` has it — keeps subscribing, confirming, changing preferences and
// unsubscribing for the run's whole length. Afterwards: no request failed with a 5xx, every change is in
// the database, nobody who unsubscribed before their delivery was planned got the digest, no reader got
// two, and the run completed (nothing left queued or in flight, nothing failed).
//
// Times: the app's clock is a fixed morning plus the real time elapsed, so editions are deterministic;
// "before it was planned" compares real instants on both sides (the moment the unsubscribe answer
// arrived, and the delivery row's creation time written by the database).
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inArray } from "drizzle-orm";
import { createApp } from "../src/app";
import { testConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { createResendMailer } from "../src/mail/resend-mailer";
import { createMailDrainer, type MailDrainer } from "../src/node/mail-drainer";
import { runTick, type TickDeps, type TickResult } from "../src/digest/tick";
import { linkFor } from "../src/tokens";
import { pendingDeliveryCount } from "../db/queries/deliveries";
import { deliveries, subscribers } from "../db/schema";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { startFakeResend, type FakeResend } from "./helpers/fake-resend";
import { seedStory } from "./helpers/digest-world";
import { invariantViolations } from "./helpers/invariants";

const onPostgres = Boolean(process.env.DATABASE_URL);
const READERS = Number(process.env.WD_LOAD_SUBSCRIBERS ?? (onPostgres ? 20_000 : 5_000));
const CONCURRENCY = Number(process.env.WD_LOAD_CONCURRENCY ?? 8);
const MORNING = Date.parse("2026-05-11T07:05:00Z");
const COUNTRIES = ["JP", "BR", "KE", "DE", "IN", "NG", "SK", "MX"];
const API_TOKEN = "load-test-api-token-0123456789abcdef";

let database: TestDatabase;
let fake: FakeResend;
let server: ServerType;
let base: string;
let deps: TickDeps;
let drainer: MailDrainer;
const started = Date.now();
const clock = () => new Date(MORNING + (Date.now() - started));
const seeded: Array<{ id: string; email: string }> = [];

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await startFakeResend({ latencyMs: 15 });
  const config = testConfig({
    publicUrl: "http://localhost:8787",
    API_TOKEN,
    RESEND_API_KEY: "re_load_test",
    SEND_RATE_PER_SECOND: 50,
    RATE_LIMIT_SUBSCRIBE_PER_HOUR: 1_000_000,
  });
  deps = {
    db: database.db,
    dbKind: database.kind,
    config,
    clock,
    mailer: createResendMailer({ apiKey: "re_load_test", baseUrl: fake.url, timeoutMs: 10_000 }),
    log: silentLogger,
  };
  for (const [i, c] of COUNTRIES.entries()) {
    for (let k = 0; k < 3; k++) {
      await seedStory(database.db, {
        title: `Load story ${k} from ${c}`,
        score: 0.2 + 0.1 * k,
        articles: [
          { country: c, publishedAt: new Date(MORNING - (2 + k + i) * 3_600_000) },
          { country: COUNTRIES[(i + 3) % COUNTRIES.length]!, publishedAt: new Date(MORNING - (3 + k) * 3_600_000) },
        ],
      });
    }
  }
  const due = new Date(MORNING - 5 * 60_000); // 07:00 UTC, their delivery time
  for (let from = 0; from < READERS; from += 1000) {
    const rows = Array.from({ length: Math.min(1000, READERS - from) }, (_, k) => {
      const i = from + k;
      return {
        email: `morning${i}@example.com`,
        status: "active" as const,
        countries: COUNTRIES.filter((_, j) => (i >> j) % 3 === 0).slice(0, 5).concat(COUNTRIES[i % COUNTRIES.length]!).filter((c, j, all) => all.indexOf(c) === j),
        timeZone: "UTC",
        nextSendAt: due,
        confirmedAt: new Date(MORNING - 86_400_000),
      };
    });
    seeded.push(...(await database.db.insert(subscribers).values(rows).returning({ id: subscribers.id, email: subscribers.email })));
  }
  // As npm start wires it: confirmations are sent by the drainer right after the answer.
  drainer = createMailDrainer(deps);
  const app = createApp({ ...deps, mailQueued: drainer.kick });
  server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 300_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await drainer?.stop();
  await fake?.close();
  await database?.drop();
});

type Op = "subscribe" | "confirm" | "change" | "unsubscribe" | "page";
interface Done {
  op: Op;
  status: number;
  start: number;
  at: number;
  ms: number;
}

describe(`a morning run of ${READERS} readers under a steady stream of sign-ups, changes and unsubscribes (${onPostgres ? "PostgreSQL" : "PGlite"})`, () => {
  it("answers every request without a 5xx, keeps every change, sends nobody who had left, and completes", async () => {
    const results: Done[] = [];
    const failures: string[] = [];
    /** Real instant the unsubscribe answer arrived, per seeded or new subscriber id. */
    const unsubscribedAt = new Map<string, number>();
    const expectedChange = new Map<string, { countries: string[]; deliveryTime: string }>();
    const newReaders: Array<{ email: string; confirmed: boolean; left: boolean }> = [];
    const touched = new Set<number>();
    /** From the subscribe answer to the confirmation at the provider (sent after the answer). */
    const confirmationDelays: number[] = [];
    let running = true;
    let rng = 12345;
    const random = () => ((rng = (rng * 1103515245 + 12345) >>> 0) / 2 ** 32);

    const call = async (op: Op, path: string, init: RequestInit = {}) => {
      const t0 = Date.now();
      let status = 0;
      try {
        // Browsers on PUBLIC_URL's pages send its origin (the only one the CSRF check accepts).
        const res = await fetch(base + path, { redirect: "manual", ...init, headers: { Origin: new URL(deps.config.publicUrl).origin, ...(init.headers as Record<string, string>) } });
        status = res.status;
        await res.arrayBuffer();
      } catch (error) {
        failures.push(`${op} ${path.slice(0, 40)}: ${String(error)}`);
      }
      results.push({ op, status, start: t0, at: Date.now(), ms: Date.now() - t0 });
      return status;
    };
    const form = (fields: Record<string, string | string[]>) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      return { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded" } };
    };
    /** A seeded reader nobody touched yet (each is changed or unsubscribed at most once). */
    const pickSeeded = () => {
      for (;;) {
        const i = Math.floor(random() * seeded.length);
        if (!touched.has(i)) return touched.add(i), seeded[i]!;
      }
    };
    /** The confirmation, sent after the answer (on PGlite the drain waits for the run's transactions). */
    const confirmationFor = async (email: string) => {
      for (const until = Date.now() + 60_000; ; ) {
        const mail = fake.sent.find((e) => e.to[0] === email && e.idempotencyKey?.startsWith("confirm-"));
        if (mail || Date.now() > until) return mail;
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const token = (purpose: "manage" | "unsubscribe" | "confirm", id: string) => linkFor("", deps.config.appSecret, purpose, { id, tokenVersion: 1 }, clock()).split("/")[2]!;

    const worker = async (w: number) => {
      let n = 0;
      while (running) {
        const r = random();
        if (r < 0.3) {
          // A newcomer subscribes, confirms from the email, sometimes changes their mind and leaves.
          const email = `newcomer-${w}-${n++}@example.com`;
          const countries = [COUNTRIES[Math.floor(random() * COUNTRIES.length)]!];
          if ((await call("subscribe", "/subscribe", form({ email, countries, frequency: "daily", deliveryTime: "06:30", timeZone: "Europe/Berlin" }))) !== 200) continue;
          const reader = { email, confirmed: false, left: false };
          newReaders.push(reader);
          const asked = Date.now();
          const mail = await confirmationFor(email);
          if (mail) confirmationDelays.push(Date.now() - asked);
          const link = /\/confirm\/([A-Za-z0-9_.-]+)/.exec(mail?.text ?? "")?.[1];
          if (!link) {
            failures.push(`no confirmation email for ${email}`);
            continue;
          }
          if ((await call("confirm", `/confirm/${link}`, form({}))) === 200) reader.confirmed = true;
          if (random() < 0.3) {
            const [row] = await database.db.select({ id: subscribers.id }).from(subscribers).where(inArray(subscribers.email, [email]));
            if ((await call("unsubscribe", `/unsubscribe/${token("unsubscribe", row!.id)}`, form({ "List-Unsubscribe": "One-Click" }))) === 200) reader.left = true;
          }
        } else if (r < 0.6) {
          const s = pickSeeded();
          const change = { countries: [COUNTRIES[Math.floor(random() * COUNTRIES.length)]!, "KE"].filter((c, i, a) => a.indexOf(c) === i).sort(), deliveryTime: random() < 0.5 ? "08:15" : "19:45" };
          const status = await call("change", `/manage/${token("manage", s.id)}`, form({ ...change, frequency: "daily", timeZone: "UTC" }));
          if (status === 303) expectedChange.set(s.id, change);
        } else if (r < 0.9) {
          const s = pickSeeded();
          const status = await call("unsubscribe", `/unsubscribe/${token("unsubscribe", s.id)}`, form({ "List-Unsubscribe": "One-Click" }));
          if (status === 200) unsubscribedAt.set(s.id, Date.now());
        } else {
          await call("page", random() < 0.5 ? "/" : `/manage/${token("manage", seeded[Math.floor(random() * seeded.length)]!.id)}`);
        }
      }
    };

    // A server that has been up a while: every page rendered once before the morning starts.
    for (const path of ["/", `/manage/${token("manage", seeded[0]!.id)}`]) await call("page", path);
    await call("subscribe", "/subscribe", form({ email: "warm-up@example.com", countries: "JP", timeZone: "UTC" }));
    results.length = 0;

    const runStarted = Date.now();
    const workers = Array.from({ length: CONCURRENCY }, (_, w) => worker(w));
    let tick: TickResult;
    try {
      tick = await runTick(deps, { now: clock() });
    } finally {
      running = false;
      await Promise.all(workers);
    }
    const runEnded = Date.now();
    const runMs = runEnded - runStarted;

    // --- No request failed, none with a 5xx; the load covered the run from start to end.
    expect(failures.slice(0, 5)).toEqual([]);
    const fiveHundreds = results.filter((r) => r.status >= 500 || r.status === 0);
    expect(fiveHundreds.slice(0, 5)).toEqual([]);
    const byOp = Object.fromEntries((["subscribe", "confirm", "change", "unsubscribe", "page"] as Op[]).map((op) => [op, results.filter((r) => r.op === op).length]));
    // Requests went out in every tenth of the run (on PGlite, whose one session the run shares, some wait).
    const tenths = new Set(results.filter((r) => r.start <= runEnded).map((r) => Math.min(9, Math.floor(((r.start - runStarted) / runMs) * 10))));
    expect([...tenths].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const unexpected = results.filter((r) => !(r.op === "change" ? [303] : r.op === "page" ? [200] : [200]).includes(r.status));
    expect(unexpected.slice(0, 5)).toEqual([]);

    // --- The run completed.
    expect(tick.failed).toBe(0);
    expect(tick.stopped).toBeUndefined();
    expect(await pendingDeliveryCount(database.db)).toBe(0);

    // --- Every change is in the database.
    const ids = [...new Set([...unsubscribedAt.keys(), ...expectedChange.keys()])];
    const rows = new Map<string, typeof subscribers.$inferSelect>();
    for (let i = 0; i < ids.length; i += 1000) for (const row of await database.db.select().from(subscribers).where(inArray(subscribers.id, ids.slice(i, i + 1000)))) rows.set(row.id, row);
    for (const id of unsubscribedAt.keys()) expect(rows.get(id)?.status, id).toBe("unsubscribed");
    for (const [id, change] of expectedChange) expect({ countries: rows.get(id)?.countries, deliveryTime: rows.get(id)?.deliveryTime }, id).toEqual(change);
    const newcomerRows = new Map<string, string>();
    const emails = newReaders.map((r) => r.email);
    for (let i = 0; i < emails.length; i += 1000) for (const row of await database.db.select({ email: subscribers.email, status: subscribers.status }).from(subscribers).where(inArray(subscribers.email, emails.slice(i, i + 1000)))) newcomerRows.set(row.email, row.status);
    for (const r of newReaders) expect(newcomerRows.get(r.email), r.email).toBe(r.left ? "unsubscribed" : r.confirmed ? "active" : "pending");
    expect(await invariantViolations(database.db)).toEqual([]);

    // --- Nobody who had unsubscribed before their delivery was planned got the digest; nobody got two.
    const digests = fake.sent.filter((e) => e.idempotencyKey?.startsWith("digest-"));
    const perReader = new Map<string, number>();
    for (const e of digests) perReader.set(e.to[0]!, (perReader.get(e.to[0]!) ?? 0) + 1);
    expect([...perReader].filter(([, n]) => n > 1).slice(0, 5)).toEqual([]);
    const planned = new Map<string, number>();
    const unsubIds = [...unsubscribedAt.keys()];
    for (let i = 0; i < unsubIds.length; i += 1000) {
      for (const d of await database.db.select({ subscriberId: deliveries.subscriberId, createdAt: deliveries.createdAt }).from(deliveries).where(inArray(deliveries.subscriberId, unsubIds.slice(i, i + 1000)))) {
        planned.set(d.subscriberId, d.createdAt.getTime());
      }
    }
    const emailOf = new Map(seeded.map((s) => [s.id, s.email]));
    let leftBeforePlanning = 0;
    let leftAfterPlanningSkipped = 0;
    let leftAfterPlanningSent = 0;
    const wronglySent: string[] = [];
    for (const [id, at] of unsubscribedAt) {
      const plannedAt = planned.get(id);
      const got = perReader.has(emailOf.get(id)!);
      if (plannedAt === undefined || plannedAt > at) {
        leftBeforePlanning++;
        // Planned after they left (must never happen) or never planned: either way no digest.
        if (plannedAt !== undefined) wronglySent.push(`${id} planned ${plannedAt - at} ms after unsubscribing`);
        if (got) wronglySent.push(`${id} got the digest though they left before it was planned`);
      } else if (got) leftAfterPlanningSent++;
      else leftAfterPlanningSkipped++;
    }
    expect(wronglySent.slice(0, 5)).toEqual([]);
    const seededSent = seeded.filter((s) => perReader.has(s.email)).length;

    const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))];
    console.log(
      `faults-load (${onPostgres ? "postgres" : "pglite"}): run of ${READERS} readers took ${(runMs / 1000).toFixed(1)} s ` +
        `(planned ${tick.planned}, sent ${tick.sent}, skipped ${tick.skipped}, failed ${tick.failed}); ${results.length} requests ` +
        `(${Object.entries(byOp).map(([op, n]) => `${n} ${op}`).join(", ")}), ${fiveHundreds.length} 5xx, latency p50 ${pct(0.5)} ms p99 ${pct(0.99)} ms max ${latencies.at(-1)} ms; ` +
        `unsubscribed: ${leftBeforePlanning} before planning (0 got it), ${leftAfterPlanningSkipped} after planning skipped, ${leftAfterPlanningSent} after planning already sent; ` +
        `${seededSent} morning digests, ${perReader.size} readers, duplicates 0; ` +
        `confirmation sent after the answer: median ${[...confirmationDelays].sort((a, b) => a - b)[Math.floor(confirmationDelays.length / 2)] ?? "-"} ms, max ${Math.max(0, ...confirmationDelays)} ms`,
    );
    expect(seededSent).toBeGreaterThan(READERS * 0.5);
    expect(byOp.unsubscribe! + byOp.change! + byOp.subscribe!).toBeGreaterThan(50);
  }, 900_000);
});
