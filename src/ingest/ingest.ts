// One ingestion run: seed the catalog, fetch every due source (a few at a time; one bad feed never stops
// the others), translate and store new items, group them into stories, score them, purge what is past
// retention. Safe to call repeatedly and from several processes (see cluster-stories.ts); never throws
// for a feed or translation problem. Articles an earlier run left untranslated (its translation stopped)
// are translated after the new items, a bounded number per run (retranslate-articles.ts). With no
// reachable real source, the offline sample feeds stand in.
// Pure of platform: how feeds are read, which outlets are seeded and how samples are translated are
// injected — Node: src/node/ingest-deps.ts (nodeIngestDeps); Workers: src/worker/ingest-deps.ts.
import type { Db } from "../../db/client";
import { hasSampleArticles, purgeArticlesPublishedBefore, purgeSampleArticles } from "../../db/queries/articles";
import { anyRealSourceSucceeded, dueSources, sampleSourceRows, type Source } from "../../db/queries/sources";
import { purgeEmptyStories } from "../../db/queries/stories";
import type { Config } from "../config";
import type { SourceRecord } from "../feeds/types";
import type { Logger } from "../log";
import type { Translator } from "../translate/translator";
import type { Embedder } from "../embeddings/embedder";
import { embedWindowArticles, emptyEmbeddingSummary, groupingEmbeddings, type EmbeddingSummary } from "./article-embeddings";
import { clusterPendingArticles, type ClusterSummary } from "./cluster-stories";
import { ingestSource, type FeedLoader, type SourceOutcome } from "./ingest-source";
import { mapWithConcurrency } from "./pool";
import { retranslateArticles, type RetranslateResult } from "./retranslate-articles";
import { seedSources } from "./seed-sources";
import { startTranslationRun, type TranslationRun } from "./translate-items";

export interface IngestDeps {
  db: Db;
  config: Config;
  log: Logger;
  /** Fetches and parses a source's feed (sample sources too, where they can be read). See feed-loader.ts. */
  loadFeed: FeedLoader;
  /** Outlets seeded (insert-if-missing) at the start of each run (Node: db/sources.json + samples). */
  catalog: () => SourceRecord[];
  /** Translator for the sample feeds (Node: their fixed table); null where there are none (Workers). */
  sampleTranslator: Translator | null;
  /** The embedding model for the optional meaning measure (src/embeddings/); absent or null: lexical only. */
  embedder?: Embedder | null;
}

export interface IngestOptions {
  now: Date;
  /** Only these source ids (still only when due); all due sources when omitted. */
  sources?: number[];
  translator: Translator | null;
  /**
   * At most this many real sources this run, the longest-unfetched first (the rest stay due for the
   * next run). Bounds a run where subrequests are counted (Workers). Sample sources are not counted.
   */
  maxSources?: number;
  /**
   * Called once the sample content is stored and grouped into stories, before any real feed is fetched —
   * only in runs that ingest the samples first (no real feed has answered yet). Offline, the real feeds
   * may take minutes to fail; `npm start` writes a newcomer's first digest here. Awaited; a throw is
   * logged and the run goes on.
   */
  afterSamples?: () => Promise<void>;
}

export interface IngestSummary {
  startedAt: Date;
  durationMs: number;
  /** Which content was ingested: real feeds, the offline samples, or both (auto mode, first runs). */
  mode: "feeds" | "sample" | "feeds+sample";
  sourcesAdded: number;
  sources: SourceOutcome[];
  totals: { sources: number; fetched: number; new: number; duplicate: number; errors: number };
  /** `retranslated`: articles an earlier run left untranslated, translated in this one. */
  translation: { translator: string | null; texts: number; failures: number; stoppedBecause: string | null; retranslated: number };
  clustering: ClusterSummary;
  /** Vectors computed for the meaning measure this run; model null when embeddings are off. */
  embeddings: EmbeddingSummary;
  purged: { articles: number; stories: number; sampleArticles: number };
  /** Where the time went: loading, translating and storing feeds (and retranslating); embedding; clustering and scoring; purging. */
  timings: { sourcesMs: number; embedMs: number; clusterMs: number; purgeMs: number };
  /** Set when the run did nothing because another run in this process was still going. */
  skipped?: string;
}

const running = new WeakMap<Db, true>();
const DAY = 86_400_000;

export async function runIngestion(deps: IngestDeps, options: IngestOptions): Promise<IngestSummary> {
  const { now } = options;
  const summary = emptySummary(now, options.translator, deps.embedder);
  if (running.has(deps.db)) return { ...summary, skipped: "another ingestion run is still going" };
  running.set(deps.db, true);
  const started = Date.now();
  try {
    const loadFeed = deps.loadFeed;
    summary.sourcesAdded = await seedSources(deps.db, deps.catalog());
    const keepSince = new Date(now.getTime() - deps.config.RETENTION_DAYS * DAY);
    const timed = async <T>(phase: keyof IngestSummary["timings"], work: () => Promise<T>): Promise<T> => {
      const t = Date.now();
      try {
        return await work();
      } finally {
        summary.timings[phase] += Date.now() - t;
      }
    };
    const run = (sources: Source[], translator: Translator | null, load: FeedLoader) => timed("sourcesMs", async () => {
      const translation = startTranslationRun(translator);
      const ctx = { db: deps.db, log: deps.log, now, keepSince, translation, load };
      const outcomes = await mapWithConcurrency(sources, deps.config.FEED_CONCURRENCY, (s) => ingestSource(ctx, s), (s, error) => ({
        sourceId: s.id,
        slug: s.slug,
        status: "error" as const,
        fetched: 0,
        new: 0,
        duplicate: 0,
        tooOld: 0,
        error: `unexpected: ${error instanceof Error ? error.message : String(error)}`,
      }));
      summary.sources.push(...outcomes);
      return translation;
    });
    const embedder = deps.embedder ?? null;
    const cluster = async (changedSince: Date | null = null) => {
      if (embedder) mergeEmbeddings(summary, await timed("embedMs", () => embedWindowArticles(deps.db, embedder, deps.config, deps.log)));
      const meaning = embedder ? groupingEmbeddings(embedder, deps.config) : null;
      mergeClustering(summary, await timed("clusterMs", () => clusterPendingArticles(deps.db, now, {}, meaning, changedSince)));
    };
    // After the new items, with what is left of the run's translation; a failure here is logged, never the run's.
    const retranslate = (translation: TranslationRun) => timed("sourcesMs", async (): Promise<RetranslateResult> => {
      try {
        return await retranslateArticles({ db: deps.db, log: deps.log, now }, translation, deps.config.RETRANSLATE_PER_RUN);
      } catch (error) {
        deps.log.error("translating untranslated articles failed", { error: error instanceof Error ? error.message : String(error) });
        return { retranslated: 0, oldestPublishedAt: null };
      }
    });

    const mode = deps.config.SAMPLE_CONTENT;
    const samplesFirst = mode === "on" || (mode === "auto" && !(await anyRealSourceSucceeded(deps.db)));
    if (samplesFirst) {
      // Demo content first and clustered at once, so a first offline run shows stories without waiting
      // for every real feed to time out.
      const sampleTranslator = deps.sampleTranslator;
      reportTranslation(summary, sampleTranslator, await run(await sampleSourceRows(deps.db), sampleTranslator, loadFeed));
      await cluster();
      if (options.afterSamples) {
        await options.afterSamples().catch((error: unknown) =>
          deps.log.error("after the sample content: failed", { error: error instanceof Error ? error.message : String(error) }),
        );
      }
    }
    let changedSince: Date | null = null;
    if (mode !== "on") {
      const due = await dueSources(deps.db, now, options.sources);
      const translation = await run(options.maxSources === undefined ? due : due.slice(0, options.maxSources), options.translator, loadFeed);
      const again = await retranslate(translation);
      changedSince = again.oldestPublishedAt;
      if (translation.textsTranslated > 0 || translation.failures > 0 || !samplesFirst) {
        reportTranslation(summary, options.translator, translation, again.retranslated);
      }
    }
    const realWorks = mode !== "on" && (await anyRealSourceSucceeded(deps.db));
    summary.mode = !samplesFirst ? "feeds" : mode === "on" ? "sample" : "feeds+sample";
    await cluster(changedSince);

    await timed("purgeMs", async () => {
      if (mode === "off" || realWorks) {
        if (await hasSampleArticles(deps.db)) summary.purged.sampleArticles = await purgeSampleArticles(deps.db);
      }
      summary.purged.articles = await purgeArticlesPublishedBefore(deps.db, keepSince);
      summary.purged.stories = await purgeEmptyStories(deps.db);
    });

    for (const o of summary.sources) {
      summary.totals.sources++;
      summary.totals.fetched += o.fetched;
      summary.totals.new += o.new;
      summary.totals.duplicate += o.duplicate;
      if (o.status === "error") summary.totals.errors++;
    }
    summary.durationMs = Date.now() - started;
    deps.log.info("ingestion finished", {
      mode: summary.mode,
      ...summary.totals,
      stories: summary.clustering,
      translation: summary.translation,
      ...(embedder ? { embeddings: summary.embeddings } : {}),
      purged: summary.purged,
      ms: summary.durationMs,
      timings: summary.timings,
    });
    return summary;
  } finally {
    running.delete(deps.db);
  }
}

function emptySummary(now: Date, translator: Translator | null, embedder: Embedder | null | undefined): IngestSummary {
  return {
    startedAt: now,
    durationMs: 0,
    mode: "feeds",
    sourcesAdded: 0,
    sources: [],
    totals: { sources: 0, fetched: 0, new: 0, duplicate: 0, errors: 0 },
    translation: { translator: translator?.name ?? null, texts: 0, failures: 0, stoppedBecause: null, retranslated: 0 },
    clustering: { articlesPlaced: 0, articlesMoved: 0, storiesCreated: 0, storiesUpdated: 0 },
    embeddings: emptyEmbeddingSummary(embedder),
    purged: { articles: 0, stories: 0, sampleArticles: 0 },
    timings: { sourcesMs: 0, embedMs: 0, clusterMs: 0, purgeMs: 0 },
  };
}

function reportTranslation(summary: IngestSummary, translator: Translator | null, run: TranslationRun, retranslated = 0): void {
  summary.translation = {
    translator: translator?.name ?? null,
    texts: run.textsTranslated,
    failures: run.failures,
    stoppedBecause: run.stoppedBecause,
    retranslated,
  };
}

function mergeClustering(summary: IngestSummary, c: ClusterSummary): void {
  summary.clustering.articlesPlaced += c.articlesPlaced;
  summary.clustering.storiesCreated += c.storiesCreated;
  summary.clustering.storiesUpdated += c.storiesUpdated;
  summary.clustering.articlesMoved += c.articlesMoved;
}

function mergeEmbeddings(summary: IngestSummary, e: EmbeddingSummary): void {
  summary.embeddings.embedded += e.embedded;
  summary.embeddings.failures += e.failures;
  summary.embeddings.stoppedBecause ??= e.stoppedBecause;
}
