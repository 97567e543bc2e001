// Sources (outlets): the catalog seeded into the database, the operator's edits, and each feed's fetch state.
import { and, asc, eq, gte, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import { union } from "drizzle-orm/pg-core";
import type { Db } from "../client";
import { articles, sources } from "../schema";

export type Source = typeof sources.$inferSelect;
export type NewSource = typeof sources.$inferInsert;
export type SourcePatch = Partial<Pick<NewSource, "name" | "homepage" | "feedUrl" | "language" | "country" | "enabled" | "isReference">>;

/** First backoff after a failure; doubles with each further failure, up to MAX. */
export const BACKOFF_BASE_MINUTES = 15;
export const BACKOFF_MAX_HOURS = 24;

/**
 * Inserts catalog entries that are not in the database yet (by slug). Existing rows are left alone, so
 * the operator's edits (feed URL, enabled) survive a re-seed. Returns how many were added.
 */
export async function insertMissingSources(db: Db, rows: NewSource[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const inserted = await db
      .insert(sources)
      .values(rows.slice(i, i + 200))
      .onConflictDoNothing({ target: sources.slug })
      .returning({ id: sources.id });
    added += inserted.length;
  }
  return added;
}

export async function insertSource(db: Db, row: NewSource): Promise<Source | undefined> {
  const rows = await db.insert(sources).values(row).onConflictDoNothing({ target: sources.slug }).returning();
  return rows[0];
}

/**
 * Applies the operator's edit. `resetFetchState` (a new feed URL, or re-enabling) forgets the validators,
 * the error and the backoff, so the next run fetches the source afresh.
 */
export async function updateSource(
  db: Db,
  id: number,
  patch: SourcePatch,
  options: { resetFetchState?: boolean } = {},
): Promise<Source | undefined> {
  const reset = options.resetFetchState
    ? { etag: null, lastModified: null, lastError: null, consecutiveFailures: 0, nextFetchAt: null }
    : {};
  if (Object.keys(patch).length === 0 && !options.resetFetchState) return findSourceById(db, id);
  const rows = await db
    .update(sources)
    .set({ ...patch, ...reset })
    .where(eq(sources.id, id))
    .returning();
  return rows[0];
}

export async function findSourceById(db: Db, id: number): Promise<Source | undefined> {
  const rows = await db.select().from(sources).where(eq(sources.id, id)).limit(1);
  return rows[0];
}

export async function listSources(db: Db): Promise<Source[]> {
  return db.select().from(sources).orderBy(asc(sources.isSample), asc(sources.country), asc(sources.name));
}

/** Enabled real (non-sample) sources not in backoff at `now`, the longest-unfetched first. */
export async function dueSources(db: Db, now: Date, ids?: number[]): Promise<Source[]> {
  return db
    .select()
    .from(sources)
    .where(
      and(
        eq(sources.enabled, true),
        eq(sources.isSample, false),
        or(isNull(sources.nextFetchAt), lte(sources.nextFetchAt, now)),
        ids ? sql`${sources.id} in ${ids.length > 0 ? ids : [-1]}` : undefined,
      ),
    )
    .orderBy(sql`${sources.lastFetchedAt} asc nulls first`, asc(sources.id));
}

/** Enabled sample sources (offline demo content). */
export async function sampleSourceRows(db: Db): Promise<Source[]> {
  return db
    .select()
    .from(sources)
    .where(and(eq(sources.enabled, true), eq(sources.isSample, true)))
    .orderBy(asc(sources.id));
}

/** True once any real source has been fetched successfully (then sample content is no longer needed). */
export async function anyRealSourceSucceeded(db: Db): Promise<boolean> {
  const rows = await db
    .select({ id: sources.id })
    .from(sources)
    .where(and(eq(sources.isSample, false), isNotNull(sources.lastSuccessAt)))
    .limit(1);
  return rows.length > 0;
}

/** A fetch answered (200 or 304): remember the validators, clear the error and the backoff. */
export async function recordFetchSuccess(
  db: Db,
  id: number,
  validators: { etag?: string | null; lastModified?: string | null },
  now: Date,
): Promise<void> {
  await fetchSuccessUpdate(db, id, validators, now);
}

/**
 * recordFetchSuccess's statement, not yet run: insertArticles runs it in the same statement as the feed's
 * new articles (one round trip and one commit per feed instead of two).
 */
export function fetchSuccessUpdate(
  db: Db,
  id: number,
  validators: { etag?: string | null; lastModified?: string | null },
  now: Date,
) {
  return db
    .update(sources)
    .set({
      ...(validators.etag !== undefined ? { etag: validators.etag } : {}),
      ...(validators.lastModified !== undefined ? { lastModified: validators.lastModified } : {}),
      lastFetchedAt: now,
      lastSuccessAt: now,
      lastError: null,
      consecutiveFailures: 0,
      nextFetchAt: null,
    })
    .where(eq(sources.id, id));
}

/**
 * A fetch failed: keep the error for the operator and back off exponentially
 * (15 min, 30 min, 1 h, … at most 24 h), computed in one statement from the stored failure count.
 */
export async function recordFetchFailure(db: Db, id: number, error: string, now: Date): Promise<void> {
  await db
    .update(sources)
    .set({
      lastFetchedAt: now,
      lastError: error.slice(0, 500),
      consecutiveFailures: sql`${sources.consecutiveFailures} + 1`,
      nextFetchAt: sql`${now.toISOString()}::timestamptz + least(
        interval '${sql.raw(String(BACKOFF_MAX_HOURS))} hours',
        interval '${sql.raw(String(BACKOFF_BASE_MINUTES))} minutes' * power(2, least(${sources.consecutiveFailures}, 20))
      )`,
    })
    .where(eq(sources.id, id));
}

/**
 * US reference outlets that count as "tracked" for the overlooked signal: enabled, of the same kind
 * (sample or real) as the content, and fetched successfully since `since`.
 */
export async function countTrackedUsOutlets(db: Db, options: { sample: boolean; since: Date }): Promise<number> {
  const rows = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(sources)
    .where(
      and(
        eq(sources.isReference, true),
        eq(sources.enabled, true),
        eq(sources.isSample, options.sample),
        gte(sources.lastSuccessAt, options.since),
      ),
    );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Countries with a working source: an enabled foreign outlet whose last `maxFailures` fetches did not all
 * fail (one never fetched yet counts: it was just added), or articles the news app pushed since
 * `pushedSince` (pushed articles have no source row; the app is their source). One statement.
 */
export async function countriesWithWorkingSources(db: Db, options: { maxFailures: number; pushedSince: Date }): Promise<string[]> {
  const rows = await union(
    db
      .selectDistinct({ country: sources.country })
      .from(sources)
      .where(and(eq(sources.enabled, true), eq(sources.isReference, false), lt(sources.consecutiveFailures, options.maxFailures))),
    db
      .selectDistinct({ country: articles.country })
      .from(articles)
      .where(and(isNull(articles.sourceId), eq(articles.isReference, false), gte(articles.publishedAt, options.pushedSince))),
  );
  return rows.map((r) => r.country);
}
