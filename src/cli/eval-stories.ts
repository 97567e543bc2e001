// `npm run eval:stories -- CORPUS.json [...]`: how well the service groups a labelled corpus (the schema of
// shared/editorial/README.md). Each corpus goes into a fresh in-memory database through the real path
// (src/editorial/load-corpus.ts) and the stories are scored (src/editorial/score.ts): pairwise precision,
// recall and F1, look-alike pairs joined, "overlooked" right, US-only articles joined, the worst
// mistakes by name. The last lines are the figures.
//   --cross-validate A.json B.json ...  each corpus grouped with weights fitted on the others (in memory)
//   --fit A.json B.json ...             weights fitted on every pair of every corpus, to paste into same-story.ts
//   --mistakes N                        how many mistakes to list (default 12)
// A file that is not a corpus: one line naming what is wrong, exit code 2.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseCorpus, type Corpus } from "../editorial/corpus";
import { fitWeights, groupAndScore, labelledPairs } from "../editorial/fit";
import { loadCorpusThroughService } from "../editorial/load-corpus";
import { scoreStories, type Scores } from "../editorial/score";
import { FEATURES, type Weights } from "../stories/same-story";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const mode = flag("--fit") ? "fit" : flag("--cross-validate") ? "cross-validate" : "score";
let mistakes = 12;
const m = args.indexOf("--mistakes");
if (m >= 0) {
  mistakes = Number(args[m + 1]);
  args.splice(m, 2);
}
const bad = args.find((a) => a.startsWith("--"));
if (bad || args.length === 0 || !Number.isInteger(mistakes) || mistakes < 0 || (mode !== "score" && args.length < 2)) {
  fail(
    bad
      ? `unknown option ${bad}`
      : mode === "score"
        ? "usage: npm run eval:stories -- CORPUS.json [...] [--mistakes N] | --cross-validate A.json B.json ... | --fit A.json B.json ..."
        : `--${mode} needs at least two corpora`,
  );
}

const corpora = args.map((file) => ({ name: basename(file), corpus: readCorpus(file) }));
const f2 = (x: number) => x.toFixed(2);

if (mode === "fit") {
  const pairs = corpora.map((c) => labelledPairs(c.corpus));
  const weights = fitWeights({ x: pairs.flatMap((p) => p.x), y: pairs.flatMap((p) => p.y) });
  const positives = pairs.reduce((n, p) => n + p.y.filter(Boolean).length, 0);
  console.log(`Fitted on ${pairs.reduce((n, p) => n + p.y.length, 0)} compared pairs (${positives} same-story) of ${corpora.map((c) => c.name).join(", ")}:`);
  console.log(formatWeights(weights));
} else if (mode === "cross-validate") {
  const pairs = corpora.map((c) => labelledPairs(c.corpus));
  const rows: Array<[string, Scores]> = corpora.map((c, k) => {
    const others = pairs.filter((_, j) => j !== k);
    const weights = fitWeights({ x: others.flatMap((p) => p.x), y: others.flatMap((p) => p.y) });
    return [c.name, groupAndScore(c.corpus, { weights })];
  });
  console.log("Leave one corpus out: each grouped (in memory, all at once) with weights fitted on the others.");
  for (const [name, s] of rows) console.log(`${name}: ${summaryLine(s)}`);
  const sum = (f: (s: Scores) => number) => rows.reduce((n, [, s]) => n + f(s), 0);
  const [tp, fp, fn] = [sum((s) => s.pairs.tp), sum((s) => s.pairs.fp), sum((s) => s.pairs.fn)];
  const [p, r] = [tp / (tp + fp), tp / (tp + fn)];
  console.log(
    `all ${rows.length}: precision ${f2(p)}, recall ${f2(r)}, F1 ${f2((2 * p * r) / (p + r))}; look-alikes joined ${sum((s) => s.nearMisses.joined)}/${sum((s) => s.nearMisses.total)}; ` +
      `overlooked right ${sum((s) => s.overlooked.right)}/${sum((s) => s.overlooked.total)}; US-only joined ${sum((s) => s.usOnly.joined)}/${sum((s) => s.usOnly.total)}`,
  );
} else {
  for (const { name, corpus } of corpora) {
    const loaded = await loadCorpusThroughService(corpus);
    const s = scoreStories(corpus, loaded.stories);
    const foreign = corpus.articles.filter((a) => !a.reference).length;
    if (s.mistakes.length > 0 && mistakes > 0) {
      console.log(`Worst mistakes (${Math.min(mistakes, s.mistakes.length)} of ${s.mistakes.length}):`);
      for (const mistake of s.mistakes.slice(0, mistakes)) console.log(`- ${mistake.kind}: ${mistake.text}`);
    }
    for (const r of loaded.refused) console.log(`- refused: ${r.id}: ${r.reason}`);
    console.log(
      `${name}: ${corpus.articles.length} articles (${foreign} foreign, ${corpus.articles.length - foreign} US), ${corpus.stories.length} stories, ` +
        `${corpus.near_misses.length} look-alike pairs, ${corpus.us_only.length} US-only; loaded in ${(loaded.ms / 1000).toFixed(1)} s`,
    );
    console.log(`  pairwise: precision ${f2(s.pairs.precision)} (${s.pairs.tp} right, ${s.pairs.fp} wrong), recall ${f2(s.pairs.recall)} (${s.pairs.fn} missed), F1 ${f2(s.pairs.f1)}`);
    console.log(`  look-alike pairs joined: ${s.nearMisses.joined} of ${s.nearMisses.total}`);
    console.log(`  overlooked right: ${s.overlooked.right} of ${s.overlooked.total} (${f2(s.overlooked.right / Math.max(1, s.overlooked.total))})`);
    console.log(`  US-only articles joined to a foreign story: ${s.usOnly.joined} of ${s.usOnly.total}; US articles on their story: ${s.usAttached.right} of ${s.usAttached.total}`);
    console.log(`  articles refused: ${loaded.refused.length} of ${corpus.articles.length}`);
  }
}

function summaryLine(s: Scores): string {
  return (
    `P ${f2(s.pairs.precision)} R ${f2(s.pairs.recall)} F1 ${f2(s.pairs.f1)}; look-alikes ${s.nearMisses.joined}/${s.nearMisses.total}; ` +
    `overlooked ${s.overlooked.right}/${s.overlooked.total}; US-only ${s.usOnly.joined}/${s.usOnly.total}; US attached ${s.usAttached.right}/${s.usAttached.total}`
  );
}

function formatWeights(w: Weights): string {
  return `{ ${[...FEATURES, "bias" as const].map((k) => `${k}: ${w[k].toFixed(2)}`).join(", ")} }`;
}

function readCorpus(file: string): Corpus {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    fail(`${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder" : error instanceof SyntaxError ? `not JSON (${error.message})` : String(error)}`);
  }
  const checked = parseCorpus(raw);
  if (!checked.ok) fail(`${file}: ${checked.problem}`);
  return checked.corpus;
}

function fail(message: string): never {
  console.error(`eval:stories: ${message}`);
  process.exit(2);
}
