// Articles: inserted once (deduplicated by canonical URL and by a feed's guid), attached to stories, purged
// after the retention period.
import { and, asc, desc, eq, gte, isNull, lt, or, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "../client";
import { articles } from "../schema";
import { textArray } from "./array-literal";

export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;

/** What clustering needs of an article. */
export interface ClusterRow {
  id: number;
  title: string;
  summary: string;
  /** The outlet's country. */
  country: string;
  publishedAt: Date;
  isReference: boolean;
  isSample: boolean;
  storyId: number | null;
}

const CHUNK = 500;

/**
 * Which of these items are already stored: URLs anywhere, guids within the source. Used before
 * translating, so a paid translation is never spent on an article we already have. One statement.
 */
export async function findStoredKeys(
  db: Db,
  keys: { urls: string[]; sourceId: number | null; guids: string[] },
): Promise<{ urls: Set<string>; guids: Set<string> }> {
  const urls = new Set<string>();
  const guids = new Set<string>();
  const byGuid = keys.sourceId !== null && keys.guids.length > 0;
  if (keys.urls.length === 0 && !byGuid) return { urls, guids };
  // One array parameter per list (array-literal.ts): ingestion asks this for every feed it translates.
  const rows = await db
    .select({ url: articles.url, guid: articles.guid, sourceId: articles.sourceId })
    .from(articles)
    .where(
      or(
        sql`${articles.url} = any(${textArray(keys.urls)}::text[])`,
        byGuid ? and(eq(articles.sourceId, keys.sourceId!), sql`${articles.guid} = any(${textArray(keys.guids)}::text[])`) : undefined,
      ),
    );
  const asked = { urls: new Set(keys.urls), guids: new Set(keys.guids) };
  for (const r of rows) {
    if (asked.urls.has(r.url)) urls.add(r.url);
    if (byGuid && r.sourceId === keys.sourceId && r.guid !== null && asked.guids.has(r.guid)) guids.add(r.guid);
  }
  return { urls, guids };
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const flag = (v: boolean | null | undefined): string | null => (v === null || v === undefined ? null : v ? "t" : "f");
const instant = (v: Date | null | undefined): string | null => (v instanceof Date ? v.toISOString() : null);

/**
 * Inserts what is new; a row whose URL or (source, guid) exists is skipped. Returns the inserted rows.
 * One array parameter per column: building a 500-row insert with 9,000 parameters cost ingestion more than
 * PostgreSQL spent running it. Omitted fields get the column defaults. `alongside`: a data-modifying
 * statement run within the first insert statement (as a WITH query), or alone when there is nothing to
 * insert — a feed's fetch state is recorded this way, in the same round trip and commit as its articles.
 */
export async function insertArticles(db: Db, rows: NewArticle[], alongside?: SQLWrapper): Promise<Array<{ id: number; url: string }>> {
  const inserted: Array<{ id: number; url: string }> = [];
  if (rows.length === 0 && alongside) await db.execute(alongside.getSQL());
  for (let i = 0; i < rows.length; i += CHUNK * 4) {
    const part = rows.slice(i, i + CHUNK * 4);
    const column = <T>(f: (r: NewArticle) => T, to: (v: T) => string | null) => textArray(part.map((r) => to(f(r))));
    const result = (await db.execute(sql`
      ${i === 0 && alongside ? sql`with alongside as (${alongside.getSQL()})` : sql``}
      insert into articles (source_id, story_id, url, guid, title, summary, original_title, title_derived, original_summary,
                            language, translated, untranslated, country, outlet, is_reference, is_sample, author, published_at,
                            fetched_at)
      select v.source_id::int, v.story_id::int, v.url, v.guid, v.title, coalesce(v.summary, ''), v.original_title,
             coalesce(v.title_derived::boolean, false), coalesce(v.original_summary, ''), v.language,
             coalesce(v.translated::boolean, false),
             coalesce(v.untranslated::boolean, false), v.country, v.outlet, coalesce(v.is_reference::boolean, false),
             coalesce(v.is_sample::boolean, false), v.author, v.published_at::timestamptz, coalesce(v.fetched_at::timestamptz, now())
      from unnest(${column((r) => r.sourceId, text)}::text[], ${column((r) => r.storyId, text)}::text[],
                  ${column((r) => r.url, text)}::text[], ${column((r) => r.guid, text)}::text[],
                  ${column((r) => r.title, text)}::text[], ${column((r) => r.summary, text)}::text[],
                  ${column((r) => r.originalTitle, text)}::text[], ${column((r) => r.titleDerived, flag)}::text[],
                  ${column((r) => r.originalSummary, text)}::text[],
                  ${column((r) => r.language, text)}::text[], ${column((r) => r.translated, flag)}::text[],
                  ${column((r) => r.untranslated, flag)}::text[], ${column((r) => r.country, text)}::text[],
                  ${column((r) => r.outlet, text)}::text[], ${column((r) => r.isReference, flag)}::text[],
                  ${column((r) => r.isSample, flag)}::text[], ${column((r) => r.author, text)}::text[],
                  ${column((r) => r.publishedAt, instant)}::text[], ${column((r) => r.fetchedAt, instant)}::text[])
           as v(source_id, story_id, url, guid, title, summary, original_title, title_derived, original_summary, language,
                translated, untranslated, country, outlet, is_reference, is_sample, author, published_at, fetched_at)
      on conflict do nothing
      returning id, url`)) as unknown;
    const list = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ id: number | string; url: string }>;
    for (const r of list) inserted.push({ id: Number(r.id), url: r.url });
  }
  return inserted;
}

export async function articleIdsByUrl(db: Db, urls: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (urls.length === 0) return found;
  const rows = await db.select({ id: articles.id, url: articles.url }).from(articles).where(sql`${articles.url} = any(${textArray(urls)}::text[])`);
  for (const r of rows) found.set(r.url, r.id);
  return found;
}

/** Publication time of the oldest article not yet in a story (null when every article is placed). */
export async function oldestUnclusteredAt(db: Db): Promise<Date | null> {
  const rows = await db
    .select({ at: sql<string | Date | null>`min(${articles.publishedAt})` })
    .from(articles)
    .where(isNull(articles.storyId));
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}

/** The clustering window: every article published since `since`, and every article not yet placed. */
export async function articlesForClustering(db: Db, since: Date): Promise<ClusterRow[]> {
  return db
    .select({
      id: articles.id,
      title: articles.title,
      summary: articles.summary,
      country: articles.country,
      publishedAt: articles.publishedAt,
      isReference: articles.isReference,
      isSample: articles.isSample,
      storyId: articles.storyId,
    })
    .from(articles)
    .where(or(gte(articles.publishedAt, since), isNull(articles.storyId)))
    .orderBy(asc(articles.publishedAt), asc(articles.id));
}

/** An article stored untranslated, with what translating it again needs (and what its profile is made of). */
export interface UntranslatedArticle {
  id: number;
  originalTitle: string;
  originalSummary: string;
  language: string;
  country: string;
  isReference: boolean;
  publishedAt: Date;
}

/**
 * Real articles left untranslated (translation stopped on a quota or rate limit) published since `since`,
 * newest first: the newest are the most likely to reach a digest. Sample articles are never sent to a paid
 * translator.
 */
export async function untranslatedArticles(db: Db, since: Date, limit: number): Promise<UntranslatedArticle[]> {
  if (limit <= 0) return [];
  return db
    .select({
      id: articles.id,
      originalTitle: articles.originalTitle,
      originalSummary: articles.originalSummary,
      language: articles.language,
      country: articles.country,
      isReference: articles.isReference,
      publishedAt: articles.publishedAt,
    })
    .from(articles)
    .where(and(eq(articles.untranslated, true), eq(articles.isSample, false), gte(articles.publishedAt, since)))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(limit);
}

/**
 * Stores English text for articles that were untranslated, in one statement (three array parameters).
 * Only rows still untranslated are changed (another process may have translated them meanwhile).
 * Returns the ids updated.
 */
export async function saveTranslations(db: Db, rows: Array<{ id: number; title: string; summary: string }>): Promise<number[]> {
  if (rows.length === 0) return [];
  const result = (await db.execute(sql`
    update ${articles} set title = v.title, summary = v.summary, translated = true, untranslated = false
    from unnest(${`{${rows.map((r) => Number(r.id)).join(",")}}`}::bigint[], ${textArray(rows.map((r) => r.title))}::text[],
                ${textArray(rows.map((r) => r.summary))}::text[]) as v(id, title, summary)
    where ${articles.id} = v.id and ${articles.untranslated}
    returning ${articles.id} as id`)) as unknown;
  const list = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{ id: number | string }>;
  return list.map((r) => Number(r.id));
}

/** Sets each article's story, in one statement (two array parameters). */
export async function attachArticles(db: Db, pairs: Array<{ articleId: number; storyId: number }>): Promise<void> {
  if (pairs.length === 0) return;
  await db.execute(sql`
    update ${articles} set story_id = v.story_id
    from unnest(${`{${pairs.map((p) => Number(p.articleId)).join(",")}}`}::bigint[], ${`{${pairs.map((p) => Number(p.storyId)).join(",")}}`}::int[])
         as v(id, story_id)
    where ${articles.id} = v.id`);
}

/** Retention: deletes articles published before `cutoff`. Returns how many. */
export async function purgeArticlesPublishedBefore(db: Db, cutoff: Date): Promise<number> {
  const rows = await db.delete(articles).where(lt(articles.publishedAt, cutoff)).returning({ id: articles.id });
  return rows.length;
}

/** Removes the offline demo's articles (once real content flows, or when sample content is off). */
export async function purgeSampleArticles(db: Db): Promise<number> {
  const rows = await db.delete(articles).where(eq(articles.isSample, true)).returning({ id: articles.id });
  return rows.length;
}

export async function hasSampleArticles(db: Db): Promise<boolean> {
  const rows = await db.select({ id: articles.id }).from(articles).where(eq(articles.isSample, true)).limit(1);
  return rows.length > 0;
}
