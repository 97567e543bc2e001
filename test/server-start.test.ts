// `npm start` as a newcomer runs it (src/server.ts in its own process, a fresh data folder): it listens on
// loopback only outside production (issue 15: /dev/outbox lists live links to anyone who can reach it),
// HOST changes that, the README's quick start still works — subscribe, and the confirmation is in
// /dev/outbox within a few seconds (it is sent by the job runner right after the answer) — and the outbox
// files are readable by their owner only.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { createServer, connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConfig, parseEnv } from "../src/config";

let dir: string;
let child: ChildProcess | undefined;
let port: number;
const output: string[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function reachable(host: string, at: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port: at });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A non-loopback address of this machine, if it has one. */
const outsideAddress = () =>
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wd-start-"));
  port = await freePort();
  child = spawn(join(process.cwd(), "node_modules/.bin/tsx"), ["src/server.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, NODE_ENV: "development", PORT: String(port), DATA_DIR: dir, DATABASE_URL: "", SAMPLE_CONTENT: "on", TICK_CRON: "0 0 1 1 *", INGEST_CRON: "0 0 1 1 *", HOST: "", RESEND_API_KEY: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => output.push(d.toString()));
  child.stderr!.on("data", (d: Buffer) => output.push(d.toString()));
  const started = Date.now();
  while (!output.join("").includes('"msg":"listening"')) {
    if (Date.now() - started > 60_000 || child.exitCode !== null) throw new Error(`npm start did not start:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  await rm(dir, { recursive: true, force: true });
});

describe("npm start outside production", () => {
  it("listens on loopback only", async () => {
    expect(await reachable("127.0.0.1", port)).toBe(true);
    const outside = outsideAddress();
    if (outside) expect(await reachable(outside, port), `${outside}:${port}`).toBe(false);
    else console.log("server-start: no non-loopback IPv4 address on this machine; only loopback checked");
  });

  it("the quick start: subscribe, and the confirmation is in /dev/outbox within a few seconds, written 0600", async () => {
    const base = `http://localhost:${port}`;
    const res = await fetch(`http://127.0.0.1:${port}/subscribe`, {
      method: "POST",
      body: new URLSearchParams({ email: "newcomer@example.com", countries: "JP", frequency: "daily", deliveryTime: "07:00", timeZone: "Europe/Paris" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    });
    expect(res.status).toBe(200);
    const asked = Date.now();
    let listed = "";
    while (Date.now() - asked < 5_000) {
      listed = await (await fetch(`http://127.0.0.1:${port}/dev/outbox`)).text();
      if (listed.includes("newcomer@example.com")) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).toContain("newcomer@example.com");
    expect(listed).toContain("Confirm your World Digest subscription");
    console.log(`server-start: confirmation listed in /dev/outbox ${Date.now() - asked} ms after the answer`);
    const folder = join(dir, "outbox");
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    for (const name of (await readdir(folder)).filter((n) => n.endsWith(".eml"))) {
      expect((await stat(join(folder, name))).mode & 0o777, name).toBe(0o600);
    }
  }, 30_000);
});

describe("HOST", () => {
  it("defaults to loopback outside production and to every interface in production; HOST sets it", () => {
    const config = (env: Record<string, string>) => buildConfig(parseEnv(env), "generated-secret-generated-secret-0123");
    expect(config({}).HOST).toBe("127.0.0.1");
    expect(config({ NODE_ENV: "test" }).HOST).toBe("127.0.0.1");
    expect(config({ NODE_ENV: "production", PUBLIC_URL: "https://digest.example.com", APP_SECRET: "s".repeat(40) }).HOST).toBe("0.0.0.0");
    expect(config({ HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
    expect(config({ HOST: "::" }).HOST).toBe("::");
    expect(() => parseEnv({ HOST: "not a host!" })).toThrow(/HOST: /);
  });
});
