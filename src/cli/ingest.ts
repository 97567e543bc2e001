// `npm run ingest`: one ingestion run on the configured database (DATABASE_URL, or the embedded PGlite in
// DATA_DIR), with the configured translator. Prints a per-source table and the totals; exits 0 even when
// some feeds failed (their errors are on the source rows), 1 only when the run itself could not happen.
import { systemClock } from "../clock";
import { createLogger } from "../log";
import { loadConfigOrExit, openDatabase } from "../node/environment";
import { runIngestion } from "../ingest/ingest";
import { nodeIngestDeps } from "../node/ingest-deps";
import { createTranslator } from "../translate/create-translator";

const config = loadConfigOrExit();
const log = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL);
const database = await openDatabase(config, log);
try {
  const translator = createTranslator(config);
  const summary = await runIngestion(nodeIngestDeps({ db: database.db, config, log }), { now: systemClock(), translator });
  if (summary.skipped) {
    console.log(summary.skipped);
  } else {
    const rows = summary.sources.map((s) => ({
      source: s.slug,
      status: s.status,
      fetched: s.fetched,
      new: s.new,
      duplicate: s.duplicate,
      error: s.error ? s.error.slice(0, 80) : "",
    }));
    if (rows.length > 0) console.table(rows);
    const t = summary.totals;
    console.log(
      `${summary.mode === "feeds" ? "Feeds" : summary.mode === "sample" ? "Sample content (SAMPLE_CONTENT=on)" : "Feeds, and sample content while no real feed has answered"}: ` +
        `${t.sources} sources, ${t.fetched} items, ${t.new} new, ${t.duplicate} already stored, ${t.errors} failed.`,
    );
    console.log(
      `Translation: ${summary.translation.translator ?? "none configured (non-English text kept as is)"}` +
        `${summary.translation.texts ? `, ${summary.translation.texts} texts` : ""}` +
        `${summary.translation.retranslated ? `, ${summary.translation.retranslated} articles left untranslated earlier now translated` : ""}` +
        `${summary.translation.stoppedBecause ? ` — stopped: ${summary.translation.stoppedBecause}` : ""}.`,
    );
    const c = summary.clustering;
    console.log(`Stories: ${c.articlesPlaced} articles placed, ${c.articlesMoved} regrouped, ${c.storiesCreated} new stories, ${c.storiesUpdated} updated.`);
    const p = summary.purged;
    if (p.articles || p.stories || p.sampleArticles) {
      console.log(`Purged: ${p.articles} articles past retention, ${p.sampleArticles} sample articles, ${p.stories} empty stories.`);
    }
    console.log(`Done in ${(summary.durationMs / 1000).toFixed(1)} s.`);
  }
} catch (error) {
  console.error(`Ingestion failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
