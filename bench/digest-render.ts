// Measures digest rendering: the cached assembly (createDigestRenderer) against one full React Email
// render per digest (renderDigestFull), on the same 1000 subscribers' digests. A script, not a test:
//   npm run bench:render [-- --subscribers 1000] [--full-sample N] [--json]
// (--full-sample: full renders timed on the first N digests only; the assembly always renders them all.)
// (--json: one line of figures at the end, read by npm run bench.)
// Also times the pure steps that run per subscriber before rendering (selectStories, buildDigest), and
// measures what one composed email (composeDigestEmail, as a send batch holds it until the provider
// answers) keeps on V8's heap: a batch's emails outlive young-generation collections, so this is what a
// sending process moves into its old generation per digest.
import { catalogCountryCodes } from "./catalog-countries";
import { buildDigest } from "../src/digest/build-digest";
import { createDigestRenderer, renderDigestFull } from "../src/digest/render-digest";
import { composeDigestEmail } from "../src/digest/compose-email";
import { testConfig } from "../src/config";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { selectStories } from "../src/digest/select-stories";
import type { CandidateArticle, CandidateStory, DigestInput, SelectedStory } from "../src/digest/types";
import { filler } from "../emails/preview-data";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const SUBSCRIBERS = arg("subscribers", 1000);
const FULL_SAMPLE = arg("full-sample", SUBSCRIBERS);

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(42);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
// Skewed popularity: a few countries are followed far more than others.
const codes = [...catalogCountryCodes];
const popular = (): string => codes[Math.floor(Math.pow(rand(), 2.2) * codes.length)]!;

const NOW = new Date("2026-05-11T11:00:00Z");
const SINCE = new Date(NOW.getTime() - 48 * 3_600_000);

// Two days at the app's rate: 1000 articles from 150 outlets, grouped into stories of 1–6 articles.
const outlets = Array.from({ length: 150 }, (_, i) => ({ name: `${filler(18, i)} ${i}`, country: codes[i % codes.length]!, language: pick(["ja", "pt", "de", "fr", "es", "en", "ko", "sk"]) }));
let articleId = 1;
const candidates: CandidateStory[] = [];
for (let storyId = 1, made = 0; made < 1000; storyId++) {
  const size = 1 + Math.floor(Math.pow(rand(), 3) * 6);
  const articles: CandidateArticle[] = [];
  for (let k = 0; k < size; k++, made++) {
    const o = pick(outlets);
    const id = articleId++;
    articles.push({
      id, title: filler(60 + Math.floor(rand() * 60), id), summary: filler(160 + Math.floor(rand() * 120), id + 1),
      url: `https://www.outlet${o.country.toLowerCase()}.example/news/2026/05/${id}-${filler(40, id).replace(/\W+/g, "-")}`,
      outlet: o.name, country: o.country, language: o.language, translated: o.language !== "en", originalTitle: filler(40, id),
      publishedAt: new Date(NOW.getTime() - rand() * 47 * 3_600_000),
    });
  }
  candidates.push({
    id: storyId, title: articles[0]!.title, overlookedScore: rand(), overlookedReason: `Covered by ${size} outlets; none of the 6 US outlets we track.`,
    outletCount: size, countryCount: new Set(articles.map((a) => a.country)).size,
    lastArticleAt: new Date(Math.max(...articles.map((a) => a.publishedAt.getTime()))), articles,
  });
}

// As the pipeline does: each subscriber is given only the stories with an article in their countries.
const byCountry = new Map<string, CandidateStory[]>();
for (const story of candidates) {
  for (const c of new Set(story.articles.map((a) => a.country))) {
    let list = byCountry.get(c);
    if (!list) byCountry.set(c, (list = []));
    list.push(story);
  }
}
const candidatesFor = (cs: string[]) => [...new Set(cs.flatMap((c) => byCountry.get(c) ?? []))];

// Subscribers: 1–8 countries each.
const subscribers = Array.from({ length: SUBSCRIBERS }, () => {
  const n = 1 + Math.floor(rand() * 8);
  const chosen = new Set<string>();
  while (chosen.size < n) chosen.add(popular());
  const countries = [...chosen];
  return { countries, candidates: candidatesFor(countries) };
});
const selections: Array<{ countries: string[]; stories: SelectedStory[] }> = [];
let t = performance.now();
for (const s of subscribers) {
  const r = selectStories({ countries: s.countries, sentStoryIds: new Set(), since: SINCE, now: NOW, candidates: s.candidates });
  if ("stories" in r) selections.push({ countries: s.countries, stories: r.stories });
}
const selectMs = (performance.now() - t) / SUBSCRIBERS;

t = performance.now();
const digests: DigestInput[] = selections.map((s, i) =>
  buildDigest({
    stories: s.stories,
    subscriber: { countries: s.countries, timeZone: "Europe/Paris", deliveryTime: "07:00", frequency: "daily", weeklyDay: null },
    edition: "2026-05-11",
    links: {
      manage: `https://worlddigest.example/manage/${"t".repeat(80)}${i}`,
      unsubscribe: `https://worlddigest.example/unsubscribe/${"t".repeat(80)}${i}`,
      viewInBrowser: `https://worlddigest.example/view/${"t".repeat(80)}${i}`,
    },
    postalAddress: "World Digest, 1 Example Street, Springfield, USA",
  }),
);
const buildMs = (performance.now() - t) / digests.length;

async function time(label: string, fn: () => Promise<void>) {
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  return { label, total: ms, per: ms / digests.length };
}

// Warm up the JIT and React on a few digests first, with throwaway renderers.
for (const d of digests.slice(0, 20)) await renderDigestFull(d);
const warm = createDigestRenderer();
for (const d of digests.slice(0, 20)) await warm.render(d);

const sample = digests.slice(0, FULL_SAMPLE);
const fullStart = performance.now();
for (const d of sample) await renderDigestFull(d);
const fullTotal = performance.now() - fullStart;
const full = { label: `full React Email render per digest (${sample.length} digests)`, total: fullTotal, per: fullTotal / sample.length };
const renderer = createDigestRenderer();
const cold = await time("assembled, fresh renderer (includes rendering every part once)", async () => {
  for (const d of digests) await renderer.render(d);
});
const hot = await time("assembled, parts already cached (rest of a large run)", async () => {
  for (const d of digests) await renderer.render(d);
});

// What a composed email keeps (heap after full collections, with 2,000 emails held against none).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const config = testConfig({ publicUrl: "https://worlddigest.example" });
const composer = createDigestRenderer();
const compose = (i: number) => {
  const s = selections[i % selections.length]!;
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  return composeDigestEmail(config, composer, { id, email: `reader${i}@example.com`, tokenVersion: 1, countries: s.countries, timeZone: "Europe/Paris", deliveryTime: "07:00", frequency: "daily", weeklyDay: null }, "2026-05-11", s.stories);
};
for (let i = 0; i < selections.length; i++) await compose(i);
gc();
gc();
const heapBefore = process.memoryUsage().heapUsed;
const held = [];
for (let i = 0; i < 2000; i++) held.push(await compose(i));
gc();
gc();
const retainedPerEmail = Math.round((process.memoryUsage().heapUsed - heapBefore) / held.length);

const parts = renderer.stats();
const storiesPer = digests.reduce((n, d) => n + d.sections.reduce((m, s) => m + s.stories.length, 0), 0) / digests.length;
console.log(`${digests.length} digests (${SUBSCRIBERS} subscribers), ${storiesPer.toFixed(1)} stories each on average, ${candidates.length} candidate stories`);
console.log(`the fresh renderer rendered ${parts.storyBlocks} story blocks, ${parts.sections} country sections and ${parts.frames} frame(s) with React`);
console.log(`selectStories ${selectMs.toFixed(3)} ms/subscriber, buildDigest ${buildMs.toFixed(3)} ms/digest`);
for (const r of [full, cold, hot]) console.log(`${r.label.padEnd(66)} ${r.per.toFixed(3)} ms/digest  (${r.total.toFixed(0)} ms total)`);
console.log(`speed-up: ${(full.per / cold.per).toFixed(1)}× with a fresh renderer, ${(full.per / hot.per).toFixed(1)}× once parts are cached`);
console.log(`a composed email keeps ${retainedPerEmail} bytes of V8 heap while its batch waits (${held.length} held)`);
if (process.argv.includes("--json")) {
  console.log(JSON.stringify({ digests: digests.length, fullSample: sample.length, storiesPerDigest: storiesPer, fullMs: full.per, assembledFreshMs: cold.per, assembledCachedMs: hot.per, speedupFresh: full.per / cold.per, speedupCached: full.per / hot.per, retainedBytesPerEmail: retainedPerEmail }));
}
