// `npm run eval:stories -- CORPUS.json [...]`: how well the service groups a labelled corpus (the schema of
// shared/editorial/README.md). Each corpus goes into a fresh in-memory database through the real path
// (src/editorial/load-corpus.ts) and the stories are scored (src/editorial/score.ts): pairwise precision,
// recall and F1, look-alike pairs joined, "overlooked" right, US-only articles joined, the worst
// mistakes by name. The last lines are the figures.
//   --cross-validate A.json B.json ...  each corpus grouped with weights fitted on the others (in memory)
//   --fit A.json B.json ...             weights fitted on every pair of every corpus, to paste into same-story.ts
//   --ablate A.json B.json ...          the cross-validation again with each measure left out in turn
//   --together A.json B.json ...        all the corpora in one window (each moved to start at the same hour),
//                                       grouped in memory with the shipped weights: a denser window, as production's
//   --mistakes N                        how many mistakes to list (default 12)
//   --arrival                           also push the articles newest first, and say how many foreign pairs
//                                       the two arrival orders group alike
//   --embeddings                        with the meaning measure: vectors from the model at EMBEDDINGS_URL
//                                       (EMBEDDINGS_MODEL, EMBEDDINGS_API_KEY, EMBEDDINGS_WEIGHT, ... from
//                                       the environment), computed as the service would; off by default
// A file that is not a corpus: one line naming what is wrong, exit code 2.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parseCorpus, type Corpus } from "../editorial/corpus";
import { fitWeights, groupAndScore, labelledPairs } from "../editorial/fit";
import { loadCorpusThroughService, type EvalEmbeddings } from "../editorial/load-corpus";
import { buildConfig, ConfigError, parseEnv } from "../config";
import { createEmbedder } from "../embeddings/create-embedder";
import { scoreStories, type Scores } from "../editorial/score";
import type { ClusterOptions } from "../stories/cluster";
import { FEATURES, type Weights } from "../stories/same-story";

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const arrival = flag("--arrival");
const withEmbeddings = flag("--embeddings");
const mode = flag("--fit") ? "fit" : flag("--cross-validate") ? "cross-validate" : flag("--ablate") ? "ablate" : flag("--together") ? "together" : "score";
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

if (withEmbeddings && mode !== "score") fail(`--embeddings goes with scoring corpora through the service, not --${mode}`);
const embeddings = withEmbeddings ? embeddingsFromEnvironment() : null;
const corpora = args.map((file) => ({ name: basename(file), corpus: readCorpus(file) }));
const f2 = (x: number) => x.toFixed(2);

if (mode === "fit") {
  const pairs = corpora.map((c) => labelledPairs(c.corpus));
  const weights = fitWeights({ x: pairs.flatMap((p) => p.x), y: pairs.flatMap((p) => p.y) });
  const positives = pairs.reduce((n, p) => n + p.y.filter(Boolean).length, 0);
  console.log(`Fitted on ${pairs.reduce((n, p) => n + p.y.length, 0)} compared pairs (${positives} same-story) of ${corpora.map((c) => c.name).join(", ")}:`);
  console.log(formatWeights(weights));
} else if (mode === "together") {
  const merged = togetherInOneWindow(corpora.map((c) => c.corpus));
  const s = groupAndScore(merged);
  const source = new Map(corpora.flatMap((c, k) => c.corpus.articles.map((a) => [a.id, k] as const)));
  console.log(`${corpora.length} corpora in one window (${merged.articles.length} articles), grouped in memory with the shipped weights:`);
  console.log(`  ${summaryLine(s)}`);
  const within = pairsWithin(merged, s, source);
  console.log(`  pairs within one corpus: precision ${f2(within.precision)}, recall ${f2(within.recall)}; pairs joined across corpora: ${within.across}`);
} else if (mode === "cross-validate" || mode === "ablate") {
  const pairs = corpora.map((c) => labelledPairs(c.corpus));
  const crossValidate = (without: number | null, options: ClusterOptions = {}): Array<[string, Scores]> =>
    corpora.map((c, k) => {
      const others = pairs.filter((_, j) => j !== k);
      const x = others.flatMap((p) => p.x).map((row) => (without === null ? row : row.map((v, f) => (f === without ? 0 : v))));
      const weights = fitWeights({ x, y: others.flatMap((p) => p.y) });
      return [c.name, groupAndScore(c.corpus, { ...options, weights })];
    });
  if (mode === "cross-validate") {
    console.log("Leave one corpus out: each grouped (in memory, all at once) with weights fitted on the others.");
    const rows = crossValidate(null);
    for (const [name, s] of rows) console.log(`${name}: ${summaryLine(s)}`);
    console.log(`all ${rows.length}: ${pooledLine(rows)}`);
  } else {
    console.log("Leave one corpus out, with each measure left out in turn (pooled over the corpora):");
    console.log(`all measures: ${pooledLine(crossValidate(null))}`);
    FEATURES.forEach((feature, k) => console.log(`without ${feature}: ${pooledLine(crossValidate(k))}`));
    console.log(`single linkage (chaining): ${pooledLine(crossValidate(null, { linkage: "single" }))}`);
    console.log(`no country veto: ${pooledLine(crossValidate(null, { noVeto: true }))}`);
    console.log(`US coverage without the shared-country check: ${pooledLine(crossValidate(null, { anyCoverage: true }))}`);
  }
} else {
  for (const { name, corpus } of corpora) {
    const loaded = await loadCorpusThroughService(corpus, "published", embeddings);
    const s = scoreStories(corpus, loaded.stories);
    if (embeddings && loaded.embeddings) {
      const { texts, failures } = loaded.embeddings;
      console.log(
        `  embeddings (${embeddings.embedder.model}, weight ${embeddings.settings.EMBEDDINGS_WEIGHT}, midpoint ${embeddings.settings.EMBEDDINGS_MIDPOINT}): ${texts} texts embedded, ${failures} failed requests` +
          (failures > 0 ? " — the articles without a vector were grouped lexically" : ""),
      );
    }
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
    if (arrival) {
      const reversed = await loadCorpusThroughService(corpus, "reversed", embeddings);
      const agreement = pairAgreement(corpus, loaded.stories, reversed.stories);
      console.log(`  arrival order: pushed newest first, ${agreement.same} of ${agreement.total} foreign pairs grouped alike (${((100 * agreement.same) / agreement.total).toFixed(2)} %)`);
    }
    console.log(`  articles refused: ${loaded.refused.length} of ${corpus.articles.length}`);
  }
}

/** The corpora as one, each moved in time to start at the first one's first hour. */
function togetherInOneWindow(list: Corpus[]): Corpus {
  const start = Math.min(...list[0]!.articles.map((a) => Date.parse(a.published)));
  const out: Corpus = { articles: [], stories: [], near_misses: [], us_only: [] };
  for (const c of list) {
    const shift = start - Math.min(...c.articles.map((a) => Date.parse(a.published)));
    out.articles.push(...c.articles.map((a) => ({ ...a, published: new Date(Date.parse(a.published) + shift).toISOString() })));
    out.stories.push(...c.stories);
    out.near_misses.push(...c.near_misses);
    out.us_only.push(...c.us_only);
  }
  return out;
}

/** Pairwise precision and recall over foreign pairs from one corpus, and wrong pairs across corpora. */
function pairsWithin(merged: Corpus, scores: Scores, source: Map<string, number>): { precision: number; recall: number; across: number } {
  const predicted = new Map<string, number>();
  scores.predicted.forEach((story, k) => story.forEach((id) => predicted.set(id, k)));
  const gold = new Map(merged.stories.flatMap((s) => s.article_ids.map((id) => [id, s.id] as const)));
  const foreign = merged.articles.filter((a) => !a.reference).map((a) => a.id);
  let [tp, fp, fn, across] = [0, 0, 0, 0];
  for (let i = 0; i < foreign.length; i++) {
    for (let j = i + 1; j < foreign.length; j++) {
      const [a, b] = [foreign[i]!, foreign[j]!];
      const together = predicted.has(a) && predicted.get(a) === predicted.get(b);
      if (source.get(a) !== source.get(b)) {
        if (together) across++;
        continue;
      }
      const same = gold.get(a) === gold.get(b);
      if (same && together) tp++;
      else if (together) fp++;
      else if (same) fn++;
    }
  }
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), across };
}

/** Foreign pairs that two groupings treat alike (both together or both apart). */
function pairAgreement(corpus: Corpus, a: string[][], b: string[][]): { same: number; total: number } {
  const storyOf = (stories: string[][]) => new Map(stories.flatMap((s, k) => s.map((id) => [id, k] as const)));
  const [sa, sb] = [storyOf(a), storyOf(b)];
  const foreign = corpus.articles.filter((x) => !x.reference).map((x) => x.id);
  let [same, total] = [0, 0];
  for (let i = 0; i < foreign.length; i++) {
    for (let j = i + 1; j < foreign.length; j++) {
      const [x, y] = [foreign[i]!, foreign[j]!];
      const inA = sa.has(x) && sa.get(x) === sa.get(y);
      const inB = sb.has(x) && sb.get(x) === sb.get(y);
      total++;
      if (inA === inB) same++;
    }
  }
  return { same, total };
}

function pooledLine(rows: Array<[string, Scores]>): string {
  const sum = (f: (s: Scores) => number) => rows.reduce((n, [, s]) => n + f(s), 0);
  const [tp, fp, fn] = [sum((s) => s.pairs.tp), sum((s) => s.pairs.fp), sum((s) => s.pairs.fn)];
  const [p, r] = [tp / (tp + fp), tp / (tp + fn)];
  return (
    `precision ${f2(p)}, recall ${f2(r)}, F1 ${f2((2 * p * r) / (p + r))}; look-alikes joined ${sum((s) => s.nearMisses.joined)}/${sum((s) => s.nearMisses.total)}; ` +
    `overlooked right ${sum((s) => s.overlooked.right)}/${sum((s) => s.overlooked.total)}; US-only joined ${sum((s) => s.usOnly.joined)}/${sum((s) => s.usOnly.total)}`
  );
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

/** EMBEDDINGS_* from the environment, checked as at start-up. */
function embeddingsFromEnvironment(): EvalEmbeddings {
  try {
    const config = buildConfig(parseEnv({ ...process.env, NODE_ENV: "test" }), "eval-stories-secret-eval-stories-secret-0");
    const embedder = createEmbedder(config);
    if (!embedder) fail("--embeddings needs EMBEDDINGS_URL (an OpenAI-compatible endpoint) and EMBEDDINGS_MODEL");
    const { EMBEDDINGS_TIMEOUT_MS, EMBEDDINGS_PER_RUN, EMBEDDINGS_WEIGHT, EMBEDDINGS_MIDPOINT } = config;
    return { embedder, settings: { EMBEDDINGS_TIMEOUT_MS, EMBEDDINGS_PER_RUN, EMBEDDINGS_WEIGHT, EMBEDDINGS_MIDPOINT } };
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
}

function fail(message: string): never {
  console.error(`eval:stories: ${message}`);
  process.exit(2);
}
