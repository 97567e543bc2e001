// Builds the app on a fresh test database with a fixed, movable clock and an in-memory mailer.
import { createApp } from "../../src/app";
import { testConfig, type Config } from "../../src/config";
import { silentLogger } from "../../src/log";
import type { Deps } from "../../src/deps";
import { createTestDatabase, type TestDatabase } from "./db";
import { createMemoryMailer, type MemoryMailer } from "./memory-mailer";
import { drainMailQueue } from "../../src/subscriptions/mail-queue";

export const ORIGIN = "http://localhost:8787";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: Deps;
  database: TestDatabase;
  mailer: MemoryMailer;
  clock: { now: Date; set(iso: string): void; advance(ms: number): void };
  /** Sends the service emails queued so far (the job runner does it right after each answer). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const mailer = createMemoryMailer();
  const clock = {
    now: new Date("2026-03-02T12:00:00Z"),
    set(iso: string) {
      this.now = new Date(iso);
    },
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const deps: Deps = {
    db: database.db,
    dbKind: database.kind,
    config: testConfig({ publicUrl: ORIGIN, API_TOKEN: "test-api-token-0123456789abcdef", ...overrides }),
    clock: () => clock.now,
    mailer,
    log: silentLogger,
  };
  const drain = async () => {
    await drainMailQueue(deps, { purge: true, maxRounds: 1000 });
  };
  return { app: createApp(deps), deps, database, mailer, clock, drain, close: () => database.drop() };
}

/** A same-origin form POST, as a browser sends it. */
export function postForm(t: TestApp, path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  return t.app.request(path, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers },
  });
}

/** Path part of an absolute link. */
export const pathOf = (url: string) => new URL(url).pathname;

/** A response's HTML with the entities hono/jsx escapes decoded, for readable assertions. */
export async function pageText(res: Response): Promise<string> {
  return (await res.text()).replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** A same-origin form POST arriving on a socket from `address` (what @hono/node-server gives the app). */
export function postFormFrom(t: TestApp, address: string, path: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  return t.app.request(
    path,
    { method: "POST", body, headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, ...headers } },
    { incoming: { socket: { remoteAddress: address } } },
  );
}
