// Rendering alone, in a production-mode process: bench/digest-render.ts (a full React Email render per
// digest against the cached assembly, on the same digests), its figures read from its --json line.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface RenderFigures {
  /** Digests assembled (a fresh renderer, then again with its parts cached). */
  digests: number;
  /** Digests fully rendered with React Email (the first of them). */
  fullSample: number;
  storiesPerDigest: number;
  /** ms per digest. */
  fullMs: number;
  /** A fresh renderer: every part rendered once with React along the way. */
  assembledFreshMs: number;
  /** Parts already cached, as for most of a large run. */
  assembledCachedMs: number;
  speedupFresh: number;
  speedupCached: number;
  /** V8 heap one composed email keeps while its batch waits for the provider (bytes). */
  retainedBytesPerEmail?: number;
}

export async function benchRendering(subscribers: number, fullSample: number): Promise<RenderFigures> {
  const args = ["--import", "tsx", "bench/digest-render.ts", "--subscribers", String(subscribers), "--full-sample", String(fullSample), "--json"];
  const { stdout } = await promisify(execFile)(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production" },
    maxBuffer: 10 * 2 ** 20,
  });
  const line = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(line) as RenderFigures;
}
