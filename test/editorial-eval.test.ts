// The editorial evaluation: a corpus checked against its schema (one line naming what is wrong), the
// scoring of shared/editorial/README.md on hand-worked predictions, and `npm run eval:stories` end to end on
// a small fixture (through the service's real path) and on broken files.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseCorpus, type Corpus } from "../src/editorial/corpus";
import { scoreStories } from "../src/editorial/score";

const run = promisify(execFile);
const fixturePath = new URL("./fixtures/editorial/small-example.json", import.meta.url).pathname;
const raw = () => JSON.parse(readFileSync(fixturePath, "utf8")) as Record<string, any>;
const corpus = (): Corpus => {
  const parsed = parseCorpus(raw());
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.corpus;
};

describe("a corpus file", () => {
  it("is taken when it follows the schema", () => {
    expect(parseCorpus(raw()).ok).toBe(true);
  });

  it.each([
    ["no articles", (c: any) => delete c.articles, "articles: "],
    ["a bad country", (c: any) => (c.articles[0].country = "Taiwan"), "articles.0.country: must be an ISO 3166-1 alpha-2 code"],
    ["a US article in a story's foreign list", (c: any) => c.stories[0].article_ids.push("ex-04"), 'stories.0.article_ids: "ex-04" is a US article'],
    ["an article in two stories", (c: any) => c.stories[1].article_ids.push("ex-01"), 'stories.1.article_ids: "ex-01" is already in stories.0.article_ids'],
    ["an unplaced article", (c: any) => (c.stories[2].article_ids = ["ex-07"], c.stories.pop()), 'articles: "ex-06" is in no story'],
    ["overlooked contradicting the US list", (c: any) => (c.stories[0].overlooked = true), "stories.0.overlooked: must be true exactly when us_article_ids is empty"],
    ["a near miss naming no article", (c: any) => (c.near_misses[0].b = "ex-99"), 'near_misses.0: "ex-99" is not an article of the corpus'],
    ["a repeated URL", (c: any) => (c.articles[1].url = c.articles[0].url), "articles.1.url:"],
  ])("is refused with one line naming the problem: %s", (_, spoil, problem) => {
    const c = raw();
    spoil(c);
    const parsed = parseCorpus(c);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem).toContain(problem);
      expect(parsed.problem).not.toContain("\n");
    }
  });
});

describe("scoring", () => {
  it("gives the labels themselves perfect figures", () => {
    const c = corpus();
    const s = scoreStories(c, c.stories.map((st) => [...st.article_ids, ...st.us_article_ids]));
    expect(s.pairs).toMatchObject({ tp: 2, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1 });
    expect(s.nearMisses.joined).toBe(0);
    expect(s.overlooked).toEqual({ right: 4, total: 4 });
    expect(s.usOnly.joined).toBe(0);
    expect(s.usAttached).toEqual({ right: 1, total: 1 });
    expect(s.mistakes).toEqual([]);
  });

  it("counts wrong joins, look-alikes, coverage and US-only mistakes as the README defines them", () => {
    // The two earthquakes joined with AP's report; Kenya split; NPR's Utah report attached to Toyota.
    const s = scoreStories(corpus(), [["ex-01", "ex-03", "ex-07", "ex-04"], ["ex-02"], ["ex-05"], ["ex-06", "ex-08"]]);
    expect(s.pairs).toMatchObject({ tp: 1, fp: 2, fn: 1 });
    expect(s.pairs.precision).toBeCloseTo(1 / 3);
    expect(s.pairs.recall).toBeCloseTo(1 / 2);
    expect(s.nearMisses.joined).toBe(2);
    // Ecuador called covered (AP joined it), Toyota called covered (NPR joined it); Taiwan and Kenya right.
    expect(s.overlooked).toEqual({ right: 2, total: 4 });
    expect(s.usOnly.joined).toBe(1);
    expect(s.mistakes.map((m) => m.kind)).toEqual(expect.arrayContaining(["joined", "split", "look-alike joined", "overlooked wrong", "US-only joined"]));
  });

  it("counts an ungrouped foreign article as a story of its own", () => {
    const s = scoreStories(corpus(), []);
    expect(s.pairs).toMatchObject({ tp: 0, fp: 0, fn: 2, precision: 1, recall: 0 });
    expect(s.overlooked).toEqual({ right: 3, total: 4 });
  });
});

describe("npm run eval:stories", () => {
  const cli = (...args: string[]) => run(process.execPath, ["--import", "tsx", "src/cli/eval-stories.ts", ...args], { cwd: new URL("..", import.meta.url).pathname });

  it("loads a corpus through the service and prints the figures last", async () => {
    const { stdout } = await cli(fixturePath);
    const lines = stdout.trim().split("\n");
    expect(lines.at(-6)).toMatch(/^small-example\.json: 8 articles \(6 foreign, 2 US\), 4 stories, 2 look-alike pairs, 1 US-only/);
    expect(lines.at(-5)).toMatch(/^ {2}pairwise: precision \d\.\d\d \(\d+ right, \d+ wrong\), recall \d\.\d\d \(\d+ missed\), F1 \d\.\d\d$/);
    expect(lines.at(-4)).toMatch(/^ {2}look-alike pairs joined: \d of 2$/);
    expect(lines.at(-3)).toMatch(/^ {2}overlooked right: \d of 4/);
    expect(lines.at(-1)).toBe("  articles refused: 0 of 8");
  }, 120_000);

  it("answers a file that is not a corpus with one line and exit code 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wd-eval-"));
    const broken = join(dir, "broken.json");
    const c = raw();
    c.articles[2].published = "yesterday";
    writeFileSync(broken, JSON.stringify(c));
    const notJson = join(dir, "not.json");
    writeFileSync(notJson, "{ articles: ");
    for (const [file, problem] of [
      [broken, "articles.2.published: must be an ISO 8601 date-time"],
      [notJson, "not JSON"],
      [join(dir, "missing.json"), "no such file"],
    ] as const) {
      const failure = await cli(file).then(() => null, (error: { code: number; stderr: string; stdout: string }) => error);
      expect(failure?.code).toBe(2);
      expect(failure?.stdout).toBe("");
      const lines = failure!.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]!.startsWith(`eval:stories: ${file}: `)).toBe(true);
      expect(lines[0]).toContain(problem);
    }
  }, 60_000);
});
