// The benchmark harness still works: `npm run bench -- --smoke` (tiny sizes) runs every section — the
// morning run through real sending processes and the fake Resend, the naive comparison, rendering alone,
// ingestion from disk, autocannon against the real server — and writes a well-formed result. Timings are not checked
// (the benchmark measures speed; tests never assert it). PostgreSQL too when DATABASE_URL is set.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { BenchResult } from "../bench/report";
import type { MorningFigures } from "../bench/morning";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const onPostgres = Boolean(process.env.DATABASE_URL);
let out: string | undefined;

afterAll(async () => {
  if (out) await rm(out, { recursive: true, force: true });
});

function expectMorning(m: MorningFigures | undefined, subscribers: number) {
  expect(m).toBeDefined();
  const { world, run, check, naive } = m!;
  expect(world.subscribers).toBe(subscribers);
  expect(world.stories).toBeGreaterThan(0);
  expect(world.articles).toBe(1000);
  // Every due subscriber was planned: sent, or skipped with nothing new.
  expect(run.digests + run.skipped).toBe(subscribers);
  expect(run.digests).toBeGreaterThan(0);
  expect(run.failed).toBe(0);
  expect(check).toMatchObject({ ok: true, duplicates: 0, pending: 0, malformed: 0 });
  expect(check.acceptedByFake).toBe(run.digests);
  expect(run.wallMs).toBeGreaterThan(0);
  expect(run.peakRssMb).toBeGreaterThan(0);
  expect(run.statements).toBeGreaterThan(0);
  expect(run.providerRequests).toBeGreaterThan(0);
  expect(naive).toBeDefined();
  expect(naive!.digests + naive!.skipped).toBe(naive!.sample);
  expect(naive!.ratio).toBeGreaterThan(0);
}

describe("npm run bench -- --smoke", () => {
  it("runs every section and writes a well-formed result", async () => {
    out = await mkdtemp(join(tmpdir(), "wd-bench-smoke-"));
    await promisify(execFile)(process.execPath, ["--import", "tsx", "bench/run.ts", "--smoke", "--quiet", "--out", out], {
      cwd: ROOT,
      env: process.env,
      timeout: 240_000,
    });
    const files = await readdir(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}\.json$/);
    const result = JSON.parse(await readFile(join(out, files[0]!), "utf8")) as BenchResult;

    expect(result).toMatchObject({ version: 1, smoke: true });
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.machine.postgres === null).toBe(!onPostgres);

    expectMorning(result.morning.pglite, 40);
    if (onPostgres) expectMorning(result.morning.postgres, 60);
    else expect(result.morning.postgres).toBeUndefined();

    expect(result.rendering?.digests).toBeGreaterThan(0);
    expect(result.rendering!.fullMs).toBeGreaterThan(0);
    expect(result.rendering!.assembledFreshMs).toBeGreaterThan(0);

    expect(result.ingestion.length).toBe(onPostgres ? 2 : 1);
    for (const i of result.ingestion) {
      expect(i.firstRun.articles).toBe(i.feeds * i.items);
      expect(i.firstRun.stories).toBeGreaterThan(0);
      expect(i.firstRunMs).toBeGreaterThan(0);
    }

    expect(result.web?.endpoints.map((e) => e.endpoint)).toEqual(["GET /manage/<token>", "GET /countries/<code>", "POST /unsubscribe/<token> (one-click)"]);
    for (const e of result.web!.endpoints) {
      expect(e.requests).toBeGreaterThan(0);
      expect(e.non2xx).toBe(0);
      expect(e.errors).toBe(0);
      expect(e.p99Ms).toBeGreaterThanOrEqual(e.p50Ms);
    }

    if (onPostgres) {
      // The web while separate sending processes send the (tiny) morning.
      const wm = result.webDuringMorning!;
      expect(wm.morning.exactlyOnce).toBe(true);
      expect(wm.morning.digests).toBeGreaterThan(0);
      for (const p of [wm.idle, wm.sending]) {
        expect(p.requests).toBeGreaterThan(0);
        expect({ non2xx: p.non2xx, errors: p.errors }).toEqual({ non2xx: 0, errors: 0 });
        expect(p.p99Ms).toBeGreaterThanOrEqual(p.p50Ms);
      }
    } else expect(result.webDuringMorning).toBeNull();

    expect(result.targets.length).toBeGreaterThan(0);
    for (const t of result.targets) {
      expect(typeof t.met).toBe("boolean");
      expect(t.value).not.toBe("");
    }
  }, 300_000);
});
