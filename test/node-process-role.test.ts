// PROCESS_ROLE: the web alone, the jobs alone, or both in one process (the default). The real Node entry
// (built as `npm start` builds it) is started as a child process: on PGlite a split is refused at
// start-up with one line naming the setting; on PostgreSQL a web process serves and runs no job, and a
// jobs process runs the first tick (a digest in the local outbox) and listens on no port.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildNode, ROOT } from "../src/cli/build-node.mjs";
import { sources, subscribers } from "../db/schema";
import { allSeedSources } from "../src/node/ingest-deps";
import { partsOf, processRoleProblem } from "../src/node/process-role";
import { seedSources } from "../src/ingest/seed-sources";
import { parseEnv } from "../src/config";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { seedStory } from "./helpers/digest-world";

const onPostgres = Boolean(process.env.DATABASE_URL);
let server: string;
let dataDir: string;

beforeAll(async () => {
  server = (await buildNode(["src/server.ts"]))[0]!;
  dataDir = await mkdtemp(join(tmpdir(), "wd-role-"));
}, 60_000);
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Running {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development", DATA_DIR: dataDir, LOG_LEVEL: "info", ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [server], { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  const chunks: string[] = [];
  child.stdout!.on("data", (d: Buffer) => chunks.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => chunks.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => chunks.join(""), exited };
}

async function stop(r: Running): Promise<void> {
  if (r.child.exitCode === null) r.child.kill("SIGTERM");
  await r.exited;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("what a role runs", () => {
  it("all runs the web and the jobs; web and jobs one each", () => {
    expect(partsOf("all")).toEqual({ web: true, jobs: true });
    expect(partsOf("web")).toEqual({ web: true, jobs: false });
    expect(partsOf("jobs")).toEqual({ web: false, jobs: true });
  });

  it("a split needs PostgreSQL; everything in one process runs on either", () => {
    expect(processRoleProblem({ PROCESS_ROLE: "all", DATABASE_URL: undefined })).toBeNull();
    expect(processRoleProblem({ PROCESS_ROLE: "web", DATABASE_URL: "postgres://db/x" })).toBeNull();
    expect(processRoleProblem({ PROCESS_ROLE: "jobs", DATABASE_URL: "postgres://db/x" })).toBeNull();
    for (const role of ["web", "jobs"] as const) {
      const problem = processRoleProblem({ PROCESS_ROLE: role, DATABASE_URL: undefined });
      expect(problem).toMatch(/needs DATABASE_URL/);
      expect(problem).toMatch(/PROCESS_ROLE=all/);
    }
  });

  it("defaults to all; another value is refused naming the choices", () => {
    expect(parseEnv({}).PROCESS_ROLE).toBe("all");
    expect(() => parseEnv({ PROCESS_ROLE: "sender" })).toThrow("PROCESS_ROLE: expects all, web or jobs");
  });
});

describe("start-up on PGlite", () => {
  for (const role of ["web", "jobs"]) {
    it(`PROCESS_ROLE=${role} is refused with one line naming the setting, before anything starts`, async () => {
      const r = start({ PROCESS_ROLE: role, PORT: String(await freePort()) });
      expect(await r.exited).toBe(1);
      const lines = r.output().trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toBe(
        `Invalid configuration: PROCESS_ROLE: ${role} needs DATABASE_URL (PostgreSQL): the embedded PGlite database is opened by one process, so without DATABASE_URL the web and the jobs run together (PROCESS_ROLE=all, the default)`,
      );
      // Nothing was created: no database folder.
      expect(await readdir(dataDir).catch(() => [])).not.toContain("pglite");
    });
  }
});

describe.skipIf(!onPostgres)("a split on PostgreSQL", () => {
  let database: TestDatabase;
  const NOW = new Date();

  beforeAll(async () => {
    database = await createTestDatabase();
    // Every catalog outlet already fetched: the jobs' first ingestion run finds nothing due and reaches no
    // outside host (tests never do). One story and one reader due now.
    await seedSources(database.db, allSeedSources());
    await database.db.update(sources).set({ nextFetchAt: new Date(NOW.getTime() + 86_400_000) });
    await seedStory(database.db, { title: "A split-process story", articles: [{ country: "JP", publishedAt: new Date(NOW.getTime() - 3_600_000) }, { country: "KE", publishedAt: new Date(NOW.getTime() - 7_200_000) }] });
    await database.db.insert(subscribers).values({ email: "split-reader@example.com", status: "active", countries: ["JP"], timeZone: "UTC", nextSendAt: new Date(NOW.getTime() - 60_000), confirmedAt: new Date(NOW.getTime() - 86_400_000) });
  }, 60_000);
  afterAll(async () => {
    await database?.drop();
  });

  it("PROCESS_ROLE=web serves pages and runs no job", async () => {
    const port = await freePort();
    const r = start({ PROCESS_ROLE: "web", PORT: String(port), DATABASE_URL: database.url!, SAMPLE_CONTENT: "off" });
    try {
      const up = await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status === 200, 30_000);
      expect(up, r.output()).toBe(true);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
      // The jobs' first run starts at once where they run: give it time to show, then check it did not.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const log = r.output();
      expect(log).toContain('"msg":"listening"');
      expect(log).toContain('"role":"web"');
      expect(log).not.toMatch(/digest tick|ingestion/);
      expect(await readdir(join(dataDir, "outbox")).catch(() => [])).toEqual([]);
    } finally {
      await stop(r);
    }
  }, 60_000);

  it("PROCESS_ROLE=jobs runs the first tick (the digest reaches the outbox) and listens on no port", async () => {
    const port = await freePort();
    const r = start({ PROCESS_ROLE: "jobs", PORT: String(port), DATABASE_URL: database.url!, SAMPLE_CONTENT: "off" });
    try {
      const outbox = join(dataDir, "outbox");
      const mailed = async () => {
        // Finished emails only: the outbox writes each under a temporary dot-name, then renames it.
        for (const name of await readdir(outbox).catch(() => [] as string[])) {
          if (!name.endsWith(".eml") || name.startsWith(".")) continue;
          if ((await readFile(join(outbox, name), "utf8")).includes("split-reader@example.com")) return true;
        }
        return false;
      };
      expect(await until(mailed, 45_000), r.output()).toBe(true);
      // The tick logs its summary after the email is written: wait for the line rather than race it.
      const ticked = /"msg":"digest tick".*"sent":[1-9]/;
      expect(await until(async () => ticked.test(r.output()), 15_000), r.output()).toBe(true);
      const log = r.output();
      expect(log).toContain('"msg":"running the scheduled jobs only"');
      expect(log).not.toContain('"msg":"listening"');
      expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => "answered", () => "refused")).toBe("refused");
    } finally {
      await stop(r);
    }
  }, 90_000);
});
