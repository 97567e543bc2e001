// The news app's content API (bearer token, mounted under /api by src/app.ts): push articles, read
// stories, manage sources. POST /api/articles answers each item on its own: a bad item never sinks the batch.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { badRequest } from "../errors";
import { ingestPushedArticles } from "../ingest/push";
import { parsePushedArticle, type PushedArticle } from "../ingest/pushed-article";
import { jsonBody } from "./api-subscribers";
import { forgetOfferedCountries } from "../subscriptions/offered-countries";

export const MAX_ARTICLES_PER_CALL = 500;

export interface ArticleResult {
  index: number;
  status: "created" | "duplicate" | "rejected";
  id?: number;
  reason?: string;
}

export function articlesApi(deps: Deps): Hono {
  const app = new Hono();

  app.post("/articles", async (c) => {
    const body = await jsonBody(c);
    const list = body.articles;
    if (!Array.isArray(list)) throw badRequest("The body must be { \"articles\": [ ... ] }", { articles: "An array of articles." });
    if (list.length === 0) throw badRequest("No articles given", { articles: "At least one article." });
    if (list.length > MAX_ARTICLES_PER_CALL) {
      throw badRequest(`At most ${MAX_ARTICLES_PER_CALL} articles per call`, { articles: `At most ${MAX_ARTICLES_PER_CALL}.` });
    }
    const now = deps.clock();
    const keepSince = new Date(now.getTime() - deps.config.RETENTION_DAYS * 86_400_000);
    const results: ArticleResult[] = [];
    const valid: Array<{ index: number; article: PushedArticle }> = [];
    list.forEach((raw, index) => {
      const parsed = parsePushedArticle(raw, now, keepSince);
      if (parsed.ok) valid.push({ index, article: parsed.value });
      results[index] = parsed.ok ? { index, status: "rejected" } : { index, status: "rejected", reason: parsed.reason };
    });
    if (valid.length > 0) {
      const { outcomes } = await ingestPushedArticles(deps, valid.map((v) => v.article));
      outcomes.forEach((o, k) => {
        const index = valid[k]!.index;
        results[index] = { index, status: o.status, ...(o.id !== undefined ? { id: o.id } : {}) };
      });
    }
    const count = (s: ArticleResult["status"]) => results.filter((r) => r.status === s).length;
    // A first article from a country makes the app its source: the forms offer it from the next view.
    if (count("created") > 0) forgetOfferedCountries(deps);
    deps.log.info("articles pushed", { created: count("created"), duplicate: count("duplicate"), rejected: count("rejected") });
    return c.json({ results });
  });

  return app;
}
