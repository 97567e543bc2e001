// Articles: inserted once (deduplicated by canonical URL and by a feed's guid), attached to stories, purged
// after the retention period.
import { and, eq, gte, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../client";
import { articles } from "../schema";

export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;

/** What clustering needs of an article. */
export interface ClusterRow {
  id: number;
  title: string;
  summary: string;
  publishedAt: Date;
  isReference: boolean;
  isSample: boolean;
  storyId: number | null;
}

const CHUNK = 500;

/**
 * Which of these items are already stored: URLs anywhere, guids within the source. Used before
 * translating, so a paid translation is never spent on an article we already have.
 */
export async function findStoredKeys(
  db: Db,
  keys: { urls: string[]; sourceId: number | null; guids: string[] },
): Promise<{ urls: Set<string>; guids: Set<string> }> {
  const urls = new Set<string>();
  const guids = new Set<string>();
  for (let i = 0; i < keys.urls.length; i += CHUNK) {
    const rows = await db.select({ url: articles.url }).from(articles).where(inArray(articles.url, keys.urls.slice(i, i + CHUNK)));
    for (const r of rows) urls.add(r.url);
  }
  if (keys.sourceId !== null) {
    for (let i = 0; i < keys.guids.length; i += CHUNK) {
      const rows = await db
        .select({ guid: articles.guid })
        .from(articles)
        .where(and(eq(articles.sourceId, keys.sourceId), inArray(articles.guid, keys.guids.slice(i, i + CHUNK))));
      for (const r of rows) if (r.guid !== null) guids.add(r.guid);
    }
  }
  return { urls, guids };
}

/** Inserts what is new; a row whose URL or (source, guid) exists is skipped. Returns the inserted rows. */
export async function insertArticles(db: Db, rows: NewArticle[]): Promise<Array<{ id: number; url: string }>> {
  const inserted: Array<{ id: number; url: string }> = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = await db
      .insert(articles)
      .values(rows.slice(i, i + CHUNK))
      .onConflictDoNothing()
      .returning({ id: articles.id, url: articles.url });
    inserted.push(...chunk);
  }
  return inserted;
}

export async function articleIdsByUrl(db: Db, urls: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let i = 0; i < urls.length; i += CHUNK) {
    const rows = await db
      .select({ id: articles.id, url: articles.url })
      .from(articles)
      .where(inArray(articles.url, urls.slice(i, i + CHUNK)));
    for (const r of rows) found.set(r.url, r.id);
  }
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
      publishedAt: articles.publishedAt,
      isReference: articles.isReference,
      isSample: articles.isSample,
      storyId: articles.storyId,
    })
    .from(articles)
    .where(or(gte(articles.publishedAt, since), isNull(articles.storyId)));
}

/** Sets each article's story, in one statement per chunk. */
export async function attachArticles(db: Db, pairs: Array<{ articleId: number; storyId: number }>): Promise<void> {
  for (let i = 0; i < pairs.length; i += 2000) {
    const values = pairs.slice(i, i + 2000).map((p) => sql`(${p.articleId}::bigint, ${p.storyId}::int)`);
    await db.execute(sql`
      update ${articles} set story_id = v.story_id
      from (values ${sql.join(values, sql`, `)}) as v(id, story_id)
      where ${articles.id} = v.id`);
  }
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
