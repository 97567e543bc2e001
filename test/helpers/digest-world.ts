// A small world for digest tests: stories with articles, subscribers, a fake Resend server with the real
// SDK pointed at it, a fixed clock and a virtual pacer (sleeps are recorded, never waited).
import { eq } from "drizzle-orm";
import { articles, deliveries, mailQueue, stories, subscribers, suppressions, webhookEvents, type Frequency } from "../../db/schema";
import { drainMailQueue } from "../../src/subscriptions/mail-queue";
import type { Db } from "../../db/client";
import { testConfig, type Config } from "../../src/config";
import { silentLogger } from "../../src/log";
import { createResendMailer } from "../../src/mail/resend-mailer";
import type { Pacer } from "../../src/digest/provider-calls";
import type { TickDeps } from "../../src/digest/tick";
import type { Mailer } from "../../src/mail/mailer";
import { startFakeResend, type FakeResend } from "./fake-resend";
import { createTestDatabase, type TestDatabase } from "./db";

export interface ArticleSpec {
  country: string;
  outlet?: string;
  language?: string;
  title?: string;
  summary?: string;
  publishedAt: Date;
  isReference?: boolean;
}

let urlSeq = 0;

/** Inserts a story and its articles; counts are computed from the articles. */
export async function seedStory(db: Db, spec: { title: string; score?: number; articles: ArticleSpec[] }): Promise<{ id: number; articleIds: number[] }> {
  const times = spec.articles.map((a) => a.publishedAt.getTime());
  const foreign = spec.articles.filter((a) => !a.isReference);
  const [story] = await db
    .insert(stories)
    .values({
      title: spec.title,
      firstSeenAt: new Date(Math.min(...times)),
      lastArticleAt: new Date(Math.max(...times)),
      articleCount: foreign.length,
      outletCount: new Set(foreign.map((a) => a.outlet ?? `${a.country} Daily`)).size,
      countryCount: new Set(foreign.map((a) => a.country)).size,
      countries: [...new Set(foreign.map((a) => a.country))].sort(),
      overlookedScore: spec.score ?? 0.8,
      overlookedReason: `covered by ${foreign.length} outlets, by none of the US outlets we track`,
    })
    .returning({ id: stories.id });
  const rows = await db
    .insert(articles)
    .values(
      spec.articles.map((a, i) => ({
        storyId: story!.id,
        url: `https://news.example/${story!.id}/${++urlSeq}`,
        title: a.title ?? `${spec.title} (${a.country} ${i})`,
        summary: a.summary ?? `What happened in ${a.country}, in two lines.`,
        originalTitle: a.title ?? spec.title,
        language: a.language ?? "en",
        translated: (a.language ?? "en") !== "en",
        country: a.country,
        outlet: a.outlet ?? `${a.country} Daily`,
        isReference: a.isReference ?? false,
        publishedAt: a.publishedAt,
      })),
    )
    .returning({ id: articles.id });
  return { id: story!.id, articleIds: rows.map((r) => r.id) };
}

export interface SubscriberSpec {
  email: string;
  countries: string[];
  timeZone?: string;
  deliveryTime?: string;
  frequency?: Frequency;
  weeklyDay?: number | null;
  nextSendAt: Date;
  lastEditionAt?: Date | null;
  status?: "active" | "paused" | "unsubscribed";
}

export async function addSubscriber(db: Db, s: SubscriberSpec): Promise<string> {
  const [row] = await db
    .insert(subscribers)
    .values({
      email: s.email,
      status: s.status ?? "active",
      countries: s.countries,
      timeZone: s.timeZone ?? "UTC",
      deliveryTime: s.deliveryTime ?? "07:00",
      frequency: s.frequency ?? "daily",
      weeklyDay: s.weeklyDay ?? null,
      nextSendAt: s.nextSendAt,
      lastEditionAt: s.lastEditionAt ?? null,
    })
    .returning({ id: subscribers.id });
  return row!.id;
}

export async function deliveriesOf(db: Db, subscriberId: string) {
  return db.select().from(deliveries).where(eq(deliveries.subscriberId, subscriberId)).orderBy(deliveries.edition);
}

export async function subscriberRow(db: Db, id: string) {
  const [row] = await db.select().from(subscribers).where(eq(subscribers.id, id));
  return row!;
}

/** Sleeps advance a virtual clock and are recorded; nothing waits. */
export function virtualPacer(): Pacer & { sleeps: number[]; elapsed(): number } {
  let t = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => t,
    elapsed: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += Math.max(0, ms);
    },
  };
}

export interface DigestWorld {
  database: TestDatabase;
  db: Db;
  fake: FakeResend;
  clock: { now: Date; set(iso: string | Date): void; advance(ms: number): void };
  pacer: ReturnType<typeof virtualPacer>;
  deps: TickDeps;
  /** deps with another mailer (e.g. one that crashes). */
  withMailer(mailer: Mailer): TickDeps;
  /** deps whose real Resend mailer gives up on an answer after `ms` (the hang tests). */
  withTimeout(ms: number): TickDeps;
  /** Sends the service emails queued so far (the job runner does it right after each answer). */
  drain(): Promise<void>;
  /** Empties the tables and the fake, sets the clock: a fresh start on the same database. */
  reset(start: string): Promise<void>;
  close(): Promise<void>;
}

export async function createDigestWorld(start: string, overrides: Partial<Config> = {}): Promise<DigestWorld> {
  const database = await createTestDatabase();
  const fake = await startFakeResend();
  const clock = {
    now: new Date(start),
    set(v: string | Date) {
      this.now = new Date(v);
    },
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const pacer = virtualPacer();
  const config = testConfig({ publicUrl: "http://localhost:8787", RESEND_API_KEY: "re_test_key", ...overrides });
  // As src/node/mailer.ts makes it for npm start (the body streamed).
  const mailer = createResendMailer({ apiKey: "re_test_key", baseUrl: fake.url, timeoutMs: 10_000, streamBody: true });
  const deps: TickDeps = {
    db: database.db,
    dbKind: database.kind,
    config,
    clock: () => clock.now,
    mailer,
    log: silentLogger,
    pacer,
    random: () => 0.5,
  };
  return {
    database,
    db: database.db,
    fake,
    clock,
    pacer,
    deps,
    withMailer: (m) => ({ ...deps, mailer: m }),
    drain: async () => {
      await drainMailQueue(deps, { purge: true, maxRounds: 1000 });
    },
    withTimeout: (ms) => ({ ...deps, mailer: createResendMailer({ apiKey: "re_test_key", baseUrl: fake.url, timeoutMs: ms, streamBody: true }) }),
    reset: async (at) => {
      for (const table of [mailQueue, deliveries, suppressions, webhookEvents, subscribers, articles, stories]) await database.db.delete(table);
      fake.reset();
      pacer.sleeps.length = 0;
      clock.set(at);
    },
    close: async () => {
      await fake.close();
      await database.drop();
    },
  };
}
