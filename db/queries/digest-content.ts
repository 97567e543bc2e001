// The stories and articles a planned delivery shows, by id (sending, retries, "view in browser").
// Planning reads candidates through db/queries/stories.ts; this file only fetches rows a delivery names.
import { and, asc, count, desc, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../client";
import { articles, stories } from "../schema";
import type { CandidateArticle, CandidateStory } from "../../src/digest/types";

export type StoryFacts = Omit<CandidateStory, "articles">;

const CHUNK = 5_000;

/** One array parameter ("{1,2,3}") rather than one parameter per id. */
const intArray = (ids: number[]) => `{${ids.filter((n) => Number.isSafeInteger(n)).join(",")}}`;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

export async function storiesByIds(db: Db, ids: number[]): Promise<Map<number, StoryFacts>> {
  const found = new Map<number, StoryFacts>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db
      .select({
        id: stories.id,
        title: stories.title,
        overlookedScore: stories.overlookedScore,
        overlookedReason: stories.overlookedReason,
        outletCount: stories.outletCount,
        countryCount: stories.countryCount,
        lastArticleAt: stories.lastArticleAt,
      })
      .from(stories)
      .where(sql`${stories.id} = any(${intArray(part)}::int[])`);
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

export async function articlesByIds(db: Db, ids: number[]): Promise<Map<number, CandidateArticle>> {
  const found = new Map<number, CandidateArticle>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db
      .select({
        id: articles.id,
        title: articles.title,
        summary: articles.summary,
        url: articles.url,
        outlet: articles.outlet,
        country: articles.country,
        language: articles.language,
        translated: articles.translated,
        originalTitle: articles.originalTitle,
        publishedAt: articles.publishedAt,
        isReference: articles.isReference,
      })
      .from(articles)
      .where(sql`${articles.id} = any(${intArray(part)}::bigint[])`);
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

/** The countries with the most (non-reference) articles since `since`, most first (the demo subscriber's). */
export async function busiestCountries(db: Db, since: Date, limit: number): Promise<string[]> {
  const rows = await db
    .select({ country: articles.country, n: count() })
    .from(articles)
    .where(and(eq(articles.isReference, false), gte(articles.publishedAt, since)))
    .groupBy(articles.country)
    .orderBy(desc(count()), asc(articles.country))
    .limit(limit);
  return rows.map((r) => r.country);
}
