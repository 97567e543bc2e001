// A throw-away PostgreSQL server of our own (initdb in a temporary folder, a free port on 127.0.0.1), so a
// test can restart or crash the database in the middle of a run without disturbing the shared server that
// other test files are using at the same moment. Needs the PostgreSQL server binaries (initdb, pg_ctl);
// as root they run as the "postgres" user, as PostgreSQL refuses to run as root.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PrivatePostgres {
  port: number;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** "fast": a clean restart that ends every session; "immediate": a crash (no checkpoint) and recovery. */
  restart(mode: "fast" | "immediate"): Promise<void>;
  isReady(): Promise<boolean>;
  stop(): Promise<void>;
}

/** The folder with initdb and pg_ctl, or null when the server binaries are not installed. */
export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, "bin", "initdb")) && existsSync(join(root, v, "bin", "pg_ctl"))) return join(root, v, "bin");
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (!bin) throw new Error("PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql");
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), "wd-private-pg-"));
  if (asRoot) {
    const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
    const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
    await chown(dir, uid, gid);
  }
  const pg = (tool: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args]) : run(join(bin, tool), args));
  const data = join(dir, "data");
  const port = await freePort();
  await pg("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
  await pg("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
  const isReady = async () => {
    try {
      await run(join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-q"]);
      return true;
    } catch {
      return false;
    }
  };
  return {
    port,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    isReady,
    async restart(mode) {
      if (mode === "fast") {
        // -l again: without it the restarted server would write to pg_ctl's stdout, which we wait on.
        await pg("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-m", "fast", "-w", "-t", "60", "restart"]);
      } else {
        await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "-t", "60", "stop"]);
        await pg("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "-t", "60", "start"]);
      }
    },
    async stop() {
      await pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
