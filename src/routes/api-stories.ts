// GET /api/stories: recent stories with every article (US reference ones flagged), the overlooked score
// and its reason — for the news app, and so anyone can check the grouping.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { badRequest } from "../errors";
import { recentStories } from "../../db/queries/stories";
import { parseIsoInstant } from "../iso-instant";

const DEFAULT_HOURS = 48;
const MAX_LIMIT = 200;

export function storiesApi(deps: Deps) {
  const app = new Hono();

  app.get("/stories", async (c) => {
    const now = deps.clock();
    const sinceRaw = c.req.query("since");
    const limitRaw = c.req.query("limit");
    let since = new Date(now.getTime() - DEFAULT_HOURS * 3_600_000);
    if (sinceRaw !== undefined) {
      const parsed = parseIsoInstant(sinceRaw);
      if (!parsed) throw badRequest("since must be an ISO 8601 date or date-time of a real day in years 1 to 9999", { since: "ISO 8601, e.g. 2025-03-18T00:00:00Z." });
      since = parsed;
    }
    let limit = 50;
    if (limitRaw !== undefined) {
      if (!/^\d{1,4}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > MAX_LIMIT) {
        throw badRequest(`limit must be a whole number from 1 to ${MAX_LIMIT}`, { limit: `1 to ${MAX_LIMIT}.` });
      }
      limit = Number(limitRaw);
    }
    const stories = await recentStories(deps.db, since, limit);
    return c.json({
      since: since.toISOString(),
      stories: stories.map((s) => ({
        id: s.id,
        title: s.title,
        overlookedScore: s.overlookedScore,
        overlookedReason: s.overlookedReason,
        outletCount: s.outletCount,
        countryCount: s.countryCount,
        countries: s.countries,
        usOutletCount: s.usOutletCount,
        firstSeenAt: s.firstSeenAt.toISOString(),
        lastArticleAt: s.lastArticleAt.toISOString(),
        sample: s.isSample,
        articles: s.articles.map((a) => ({
          id: a.id,
          title: a.title,
          originalTitle: a.originalTitle,
          summary: a.summary,
          url: a.url,
          outlet: a.outlet,
          country: a.country,
          language: a.language,
          translated: a.translated,
          untranslated: a.untranslated,
          reference: a.isReference,
          publishedAt: a.publishedAt.toISOString(),
        })),
      })),
    });
  });

  return app;
}
