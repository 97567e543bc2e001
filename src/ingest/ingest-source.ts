// One source, one pass: load its feed, keep the items we do not have, translate them, store them, and
// record the fetch state on the source row. Never throws for a feed problem: the error is the outcome.
import type { Db } from "../../db/client";
import { findStoredKeys, type NewArticle } from "../../db/queries/articles";
import { fetchSuccessUpdate, recordFetchFailure, recordFetchSuccess, type Source } from "../../db/queries/sources";
import type { FeedItem } from "../feeds/types";
import type { Logger } from "../log";
import { storeArticles } from "./store-articles";
import { mayTranslate, translateItems, type TranslationRun } from "./translate-items";

export type LoadedFeed =
  | { status: "ok"; items: FeedItem[]; etag: string | null; lastModified: string | null; warnings?: string[] }
  | { status: "not-modified" }
  | { status: "error"; error: string };

/** Loads a source's feed (real fetch, or the offline sample). Should not throw; a throw counts as an error. */
export type FeedLoader = (source: Source, now: Date) => Promise<LoadedFeed>;

export interface SourceOutcome {
  sourceId: number;
  slug: string;
  status: "ok" | "not-modified" | "error";
  /** Items in the feed. */
  fetched: number;
  new: number;
  duplicate: number;
  /** Items too old to keep (older than the retention period). */
  tooOld: number;
  error?: string;
}

export interface SourceContext {
  db: Db;
  log: Logger;
  now: Date;
  /** Items published before this are not stored. */
  keepSince: Date;
  translation: TranslationRun;
  load: FeedLoader;
}

export async function ingestSource(ctx: SourceContext, source: Source): Promise<SourceOutcome> {
  const outcome: SourceOutcome = { sourceId: source.id, slug: source.slug, status: "ok", fetched: 0, new: 0, duplicate: 0, tooOld: 0 };
  let loaded: LoadedFeed;
  try {
    loaded = await ctx.load(source, ctx.now);
  } catch (error) {
    loaded = { status: "error", error: error instanceof Error ? error.message : String(error) };
  }

  if (loaded.status === "error") {
    await recordFetchFailure(ctx.db, source.id, loaded.error, ctx.now);
    ctx.log.debug("feed failed", { source: source.slug, error: loaded.error });
    return { ...outcome, status: "error", error: loaded.error };
  }
  if (loaded.status === "not-modified") {
    await recordFetchSuccess(ctx.db, source.id, {}, ctx.now);
    return { ...outcome, status: "not-modified" };
  }

  const items = loaded.items;
  outcome.fetched = items.length;
  const recent = items.filter((item) => item.published >= ctx.keepSince);
  outcome.tooOld = items.length - recent.length;

  // Only what we do not have yet is translated (translation costs money), and a feed read before mostly
  // repeats items we have: then the stored ones are looked up and left out first. A feed never read is
  // inserted at once with nothing to translate (the insert skips whatever is stored all the same).
  const languages = recent.map((i) => i.language || source.language);
  let fresh = recent;
  if (source.lastSuccessAt !== null || mayTranslate(ctx.translation, languages)) {
    const stored = await findStoredKeys(ctx.db, {
      urls: recent.map((i) => i.link),
      sourceId: source.id,
      guids: recent.flatMap((i) => (i.guid ? [i.guid] : [])),
    });
    fresh = recent.filter((i) => !stored.urls.has(i.link) && !(i.guid && stored.guids.has(i.guid)));
  }
  const english = await translateItems(
    ctx.translation,
    fresh.map((i) => ({ title: i.title, summary: i.summary, language: i.language || source.language })),
    ctx.log,
  );
  const rows: NewArticle[] = fresh.map((item, k) => ({
    sourceId: source.id,
    url: item.link,
    guid: item.guid ? item.guid.slice(0, 1000) : null,
    title: english[k]!.title,
    summary: english[k]!.summary,
    originalTitle: item.title,
    titleDerived: item.titleDerived,
    originalSummary: item.summary,
    language: item.language || source.language,
    translated: english[k]!.translated,
    untranslated: english[k]!.untranslated,
    country: source.country,
    outlet: source.name,
    isReference: source.isReference,
    isSample: source.isSample,
    author: item.author,
    publishedAt: item.published,
    fetchedAt: ctx.now,
  }));
  // The fetch state is recorded in the same statement as the articles.
  const fetched = fetchSuccessUpdate(ctx.db, source.id, { etag: loaded.etag, lastModified: loaded.lastModified }, ctx.now);
  const result = await storeArticles(ctx.db, rows, fetched);
  outcome.new = result.created.size;
  outcome.duplicate = recent.length - result.created.size;

  if (loaded.warnings?.length) ctx.log.info("feed warnings", { source: source.slug, warnings: loaded.warnings.slice(0, 5) });
  return outcome;
}
