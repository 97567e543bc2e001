// Stories: groups of articles about one event, with their coverage counts and the overlooked signal;
// and the reads the digest and the API make of them.
import { and, asc, desc, eq, gte, inArray, isNotNull, lt, notExists, sql } from "drizzle-orm";
import type { Db } from "../client";
import { articles, stories } from "../schema";
import { textArray } from "./array-literal";

export type Story = typeof stories.$inferSelect;

/** Coverage of a story, counted from its articles (all of them, not only the recent window). */
export interface StoryCoverage {
  storyId: number;
  articleCount: number;
  outletCount: number;
  countries: string[];
  usOutletCount: number;
  /** Names of the US reference outlets in the story. */
  usOutlets: string[];
  firstPublishedAt: Date;
  lastPublishedAt: Date;
  isSample: boolean;
}

const CHUNK = 1000;
/** An outlet is its name within its country (feed sources and pushed articles alike). */
const outletKey = sql`lower(${articles.outlet}) || '|' || ${articles.country}`;
const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));

/** Rows of a raw `db.execute` on either driver (postgres.js returns an array, PGlite `{ rows }`). */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Takes `n` ids from the stories sequence, so new stories can be inserted in one statement and their
 * articles attached without relying on the order of RETURNING.
 */
export async function reserveStoryIds(db: Db, n: number): Promise<number[]> {
  if (n === 0) return [];
  const result = await db.execute(
    sql`select nextval(pg_get_serial_sequence('stories', 'id'))::int as id from generate_series(1, ${n}::int)`,
  );
  return rowsOf<{ id: number }>(result).map((r) => Number(r.id));
}

export interface NewStoryRow {
  id: number;
  title: string;
  firstSeenAt: Date;
  lastArticleAt: Date;
  isSample: boolean;
}

/**
 * One statement, one array parameter per column (a first ingestion makes ~1,000 stories: as a values
 * list that was 6,000 parameters, longer for drizzle to build than for PostgreSQL to insert).
 */
export async function insertStories(db: Db, rows: NewStoryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into ${stories} (id, title, first_seen_at, last_article_at, is_sample, updated_at)
    select v.id, v.title, v.first_seen_at, v.last_article_at, v.is_sample, v.first_seen_at
    from unnest(${`{${rows.map((r) => r.id).join(",")}}`}::int[], ${textArray(rows.map((r) => r.title))}::text[],
                ${textArray(rows.map((r) => r.firstSeenAt.toISOString()))}::timestamptz[],
                ${textArray(rows.map((r) => r.lastArticleAt.toISOString()))}::timestamptz[],
                ${`{${rows.map((r) => (r.isSample ? "t" : "f")).join(",")}}`}::boolean[])
         as v(id, title, first_seen_at, last_article_at, is_sample)`);
}

/** One story (tests, small callers); the ingest path uses reserveStoryIds + insertStories. */
export async function insertStory(
  db: Db,
  row: { title: string; firstSeenAt: Date; lastArticleAt: Date; isSample: boolean },
): Promise<number> {
  const [id] = await reserveStoryIds(db, 1);
  await insertStories(db, [{ ...row, id: id! }]);
  return id!;
}

export async function storyCoverage(db: Db, storyIds: number[]): Promise<StoryCoverage[]> {
  const out: StoryCoverage[] = [];
  for (let i = 0; i < storyIds.length; i += CHUNK) {
    const rows = await db
      .select({
        storyId: articles.storyId,
        articleCount: sql<number>`(count(*) filter (where not ${articles.isReference}))::int`,
        outletCount: sql<number>`(count(distinct ${outletKey}) filter (where not ${articles.isReference}))::int`,
        countries: sql<string[]>`coalesce(array_agg(distinct ${articles.country}) filter (where not ${articles.isReference}), '{}'::text[])`,
        usOutletCount: sql<number>`(count(distinct ${outletKey}) filter (where ${articles.isReference}))::int`,
        usOutlets: sql<string[]>`coalesce(array_agg(distinct ${articles.outlet}) filter (where ${articles.isReference}), '{}'::text[])`,
        first: sql<unknown>`min(${articles.publishedAt})`,
        last: sql<unknown>`max(${articles.publishedAt})`,
        isSample: sql<boolean>`bool_and(${articles.isSample})`,
      })
      .from(articles)
      .where(inArray(articles.storyId, storyIds.slice(i, i + CHUNK)))
      .groupBy(articles.storyId);
    for (const r of rows) {
      out.push({
        storyId: r.storyId!,
        articleCount: Number(r.articleCount),
        outletCount: Number(r.outletCount),
        countries: [...r.countries].sort(),
        usOutletCount: Number(r.usOutletCount),
        usOutlets: [...r.usOutlets],
        firstPublishedAt: toDate(r.first),
        lastPublishedAt: toDate(r.last),
        isSample: Boolean(r.isSample),
      });
    }
  }
  return out;
}

export interface StoryUpdate {
  title?: string;
  coverage: StoryCoverage;
  overlookedScore: number;
  overlookedReason: string;
}

/** Stores coverage, score and reason (and a new title) for many stories in one statement (array parameters). */
export async function saveStories(db: Db, updates: StoryUpdate[], now: Date): Promise<void> {
  if (updates.length === 0) return;
  const col = (f: (u: StoryUpdate) => string | number | boolean | null | undefined) =>
    textArray(updates.map((u) => {
      const v = f(u);
      return v === null || v === undefined ? null : typeof v === "boolean" ? (v ? "t" : "f") : String(v);
    }));
  await db.execute(sql`
    update ${stories} set
      title = coalesce(v.title, ${stories.title}),
      first_seen_at = v.first_seen_at::timestamptz,
      last_article_at = v.last_article_at::timestamptz,
      article_count = v.article_count::int,
      outlet_count = v.outlet_count::int,
      country_count = v.country_count::int,
      countries = v.countries::text[],
      us_outlet_count = v.us_outlet_count::int,
      overlooked_score = v.overlooked_score::real,
      overlooked_reason = v.overlooked_reason,
      is_sample = v.is_sample::boolean,
      updated_at = ${now.toISOString()}::timestamptz
    from unnest(${col((u) => u.coverage.storyId)}::text[], ${col((u) => u.title)}::text[],
                ${col((u) => u.coverage.firstPublishedAt.toISOString())}::text[], ${col((u) => u.coverage.lastPublishedAt.toISOString())}::text[],
                ${col((u) => u.coverage.articleCount)}::text[], ${col((u) => u.coverage.outletCount)}::text[],
                ${col((u) => u.coverage.countries.length)}::text[], ${col((u) => textArray(u.coverage.countries))}::text[],
                ${col((u) => u.coverage.usOutletCount)}::text[], ${col((u) => u.overlookedScore)}::text[],
                ${col((u) => u.overlookedReason)}::text[], ${col((u) => u.coverage.isSample)}::text[])
         as v(id, title, first_seen_at, last_article_at, article_count, outlet_count, country_count, countries,
              us_outlet_count, overlooked_score, overlooked_reason, is_sample)
    where ${stories.id} = v.id::int`);
}

/** Deletes those of `storyIds` that have no article left (a regrouping moved them all). Returns their ids. */
export async function deleteStoriesWithoutArticles(db: Db, storyIds: number[]): Promise<number[]> {
  if (storyIds.length === 0) return [];
  const rows = await db
    .delete(stories)
    .where(and(inArray(stories.id, storyIds), notExists(db.select({ one: sql`1` }).from(articles).where(eq(articles.storyId, stories.id)))))
    .returning({ id: stories.id });
  return rows.map((r) => r.id);
}

/** Stories left without articles (after retention or a sample purge). Returns how many were deleted. */
export async function purgeEmptyStories(db: Db): Promise<number> {
  const rows = await db
    .delete(stories)
    .where(notExists(db.select({ one: sql`1` }).from(articles).where(eq(articles.storyId, stories.id))))
    .returning({ id: stories.id });
  return rows.length;
}

export interface StoryArticle {
  id: number;
  title: string;
  summary: string;
  url: string;
  outlet: string;
  country: string;
  language: string;
  translated: boolean;
  untranslated: boolean;
  originalTitle: string;
  publishedAt: Date;
}

const articleFields = {
  storyId: articles.storyId,
  id: articles.id,
  title: articles.title,
  summary: articles.summary,
  url: articles.url,
  outlet: articles.outlet,
  country: articles.country,
  language: articles.language,
  translated: articles.translated,
  untranslated: articles.untranslated,
  originalTitle: articles.originalTitle,
  publishedAt: articles.publishedAt,
  isReference: articles.isReference,
};

export interface RecentStory extends Story {
  articles: Array<StoryArticle & { isReference: boolean }>;
}

/** The most recently active stories since `since`, with all their articles (US reference ones flagged). */
export async function recentStories(db: Db, since: Date, limit: number): Promise<RecentStory[]> {
  const rows = await db
    .select()
    .from(stories)
    .where(gte(stories.lastArticleAt, since))
    .orderBy(desc(stories.lastArticleAt), desc(stories.id))
    .limit(limit);
  if (rows.length === 0) return [];
  const arts = await db
    .select(articleFields)
    .from(articles)
    .where(inArray(articles.storyId, rows.map((r) => r.id)))
    .orderBy(asc(articles.publishedAt), asc(articles.id));
  const byStory = groupBy(arts);
  return rows.map((s) => ({ ...s, articles: (byStory.get(s.id) ?? []).map(({ storyId: _, ...a }) => a) }));
}

/** A story the digest may show, with its foreign (non-reference) articles, oldest first. */
export interface CandidateStory {
  id: number;
  title: string;
  overlookedScore: number;
  overlookedReason: string;
  outletCount: number;
  countryCount: number;
  countries: string[];
  usOutletCount: number;
  lastArticleAt: Date;
  isSample: boolean;
  articles: StoryArticle[];
}

export interface CandidateFilter {
  /** Only stories with a foreign article from one of these countries in the period; all countries when omitted. */
  countries?: string[];
  since: Date;
  /** Exclusive upper bound on the matching article's publication; none when omitted. */
  until?: Date;
}

/**
 * Stories with at least one foreign article published in [since, until) — from `countries` when given —
 * each with ALL its foreign articles (any country, any time: the "alternative takes"). Two queries
 * whatever the number of stories; the match is a subquery, so no id list travels as parameters.
 */
export async function candidateStories(db: Db, filter: CandidateFilter): Promise<CandidateStory[]> {
  if (filter.countries && filter.countries.length === 0) return [];
  const matching = db
    .selectDistinct({ storyId: articles.storyId })
    .from(articles)
    .where(
      and(
        eq(articles.isReference, false),
        isNotNull(articles.storyId),
        gte(articles.publishedAt, filter.since),
        filter.until ? lt(articles.publishedAt, filter.until) : undefined,
        filter.countries ? inArray(articles.country, filter.countries) : undefined,
      ),
    );
  const storyRows = await db
    .select({
      id: stories.id,
      title: stories.title,
      overlookedScore: stories.overlookedScore,
      overlookedReason: stories.overlookedReason,
      outletCount: stories.outletCount,
      countryCount: stories.countryCount,
      countries: stories.countries,
      usOutletCount: stories.usOutletCount,
      lastArticleAt: stories.lastArticleAt,
      isSample: stories.isSample,
    })
    .from(stories)
    .where(inArray(stories.id, matching))
    .orderBy(desc(stories.overlookedScore), desc(stories.lastArticleAt), asc(stories.id));
  if (storyRows.length === 0) return [];
  const arts = await db
    .select(articleFields)
    .from(articles)
    .where(and(inArray(articles.storyId, matching), eq(articles.isReference, false)))
    .orderBy(asc(articles.publishedAt), asc(articles.id));
  const byStory = groupBy(arts);
  return storyRows.map((s) => ({
    ...s,
    articles: (byStory.get(s.id) ?? []).map(({ storyId: _, isReference: __, ...a }) => a),
  }));
}

/** Every candidate since `since` (all countries): one call per morning run, filtered per subscriber in memory. */
export function candidateStoriesForAll(db: Db, since: Date, until?: Date): Promise<CandidateStory[]> {
  return candidateStories(db, { since, until });
}

function groupBy<T extends { storyId: number | null }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const r of rows) {
    if (r.storyId === null) continue;
    let list = map.get(r.storyId);
    if (!list) map.set(r.storyId, (list = []));
    list.push(r);
  }
  return map;
}
