// The one way articles enter the database, for feed items and pushed articles alike: insert what is new
// (duplicates by canonical URL or by the feed's guid are skipped by the database itself).
import type { SQLWrapper } from "drizzle-orm";
import type { Db } from "../../db/client";
import { insertArticles, type NewArticle } from "../../db/queries/articles";
import { rememberProfiles } from "./article-profiles";

export interface StoreResult {
  /** Inserted articles, by canonical URL. */
  created: Map<string, number>;
  duplicates: number;
}

/** `alongside`: a write to make in the same statement (see insertArticles), e.g. the feed's fetch state. */
export async function storeArticles(db: Db, rows: NewArticle[], alongside?: SQLWrapper): Promise<StoreResult> {
  // The same URL twice in one batch is one article.
  const seen = new Set<string>();
  const unique = rows.filter((r) => (seen.has(r.url) ? false : (seen.add(r.url), true)));
  const inserted = await insertArticles(db, unique, alongside);
  const created = new Map(inserted.map((r) => [r.url, r.id]));
  const byUrl = new Map(unique.map((r) => [r.url, r]));
  rememberProfiles(
    inserted.map(({ id, url }) => {
      const r = byUrl.get(url)!;
      return { id, title: r.title, summary: r.summary ?? "", country: r.country, isReference: r.isReference ?? false, publishedAt: r.publishedAt };
    }),
  );
  return { created, duplicates: rows.length - created.size };
}
