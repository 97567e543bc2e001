// `npm run eval:stories -- --embeddings`: the corpus is embedded through EMBEDDINGS_URL as the service
// would (here a local server speaking the OpenAI contract), and the run says how many texts were embedded
// and how many requests failed. Without the flag nothing is asked of any model.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmbeddingsServer, type EmbeddingsServer } from "./helpers/embeddings-server";

const run = promisify(execFile);
const fixture = new URL("./fixtures/editorial/small-example.json", import.meta.url).pathname;
let server: EmbeddingsServer;
beforeAll(async () => {
  server = await startEmbeddingsServer();
});
afterAll(() => server.close());

const cli = (env: Record<string, string>, ...args: string[]) =>
  run(process.execPath, ["--import", "tsx", "src/cli/eval-stories.ts", ...args], {
    cwd: new URL("..", import.meta.url).pathname,
    env: { ...process.env, EMBEDDINGS_URL: "", EMBEDDINGS_MODEL: "", ...env },
  });

describe("eval:stories --embeddings", () => {
  it("embeds the corpus through EMBEDDINGS_URL and reports it above the figures", async () => {
    const { stdout } = await cli({ EMBEDDINGS_URL: server.url, EMBEDDINGS_MODEL: "fake" }, fixture, "--embeddings");
    expect(stdout).toMatch(/^ {2}embeddings \(fake, weight 6, midpoint 0\.6\): 8 texts embedded, 0 failed requests$/m);
    expect(stdout.trim().split("\n").at(-1)).toBe("  articles refused: 0 of 8");
    expect(server.requests.length).toBeGreaterThan(0);
  }, 120_000);

  it("without the flag asks no model, even with EMBEDDINGS_URL set", async () => {
    const before = server.requests.length;
    const { stdout } = await cli({ EMBEDDINGS_URL: server.url, EMBEDDINGS_MODEL: "fake" }, fixture);
    expect(stdout).not.toContain("embeddings (");
    expect(server.requests.length).toBe(before);
  }, 120_000);

  it("says what is missing when the flag has no endpoint to use", async () => {
    const error = (await cli({}, fixture, "--embeddings").catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(error.code).toBe(2);
    expect(error.stderr.trim()).toBe("eval:stories: --embeddings needs EMBEDDINGS_URL (an OpenAI-compatible endpoint) and EMBEDDINGS_MODEL");
  }, 120_000);
});
