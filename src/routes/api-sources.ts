// The operator's view of the outlets (bearer token, under /api): list with fetch state, add, edit.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { AppError, badRequest, notFound } from "../errors";
import { findSourceById, insertSource, listSources, updateSource, type Source } from "../../db/queries/sources";
import { newSourceFrom, parseSourceFields } from "../ingest/source-input";
import { jsonBody } from "./api-subscribers";
import { forgetOfferedCountries } from "../subscriptions/offered-countries";

export function sourceJson(s: Source) {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    country: s.country,
    language: s.language,
    homepage: s.homepage,
    feedUrl: s.feedUrl,
    isReference: s.isReference,
    isSample: s.isSample,
    enabled: s.enabled,
    lastFetchedAt: s.lastFetchedAt?.toISOString() ?? null,
    lastSuccessAt: s.lastSuccessAt?.toISOString() ?? null,
    lastError: s.lastError,
    consecutiveFailures: s.consecutiveFailures,
    nextFetchAt: s.nextFetchAt?.toISOString() ?? null,
  };
}

const sourceId = (raw: string) => {
  if (!/^\d{1,9}$/.test(raw)) throw notFound("No source with this id");
  return Number(raw);
};

export function sourcesApi(deps: Deps) {
  const app = new Hono();

  app.get("/sources", async (c) => c.json({ sources: (await listSources(deps.db)).map(sourceJson) }));

  app.post("/sources", async (c) => {
    const parsed = parseSourceFields(await jsonBody(c), false);
    if (!parsed.ok) throw badRequest("Some fields are invalid", parsed.fields);
    const row = newSourceFrom(parsed.value);
    const created = await insertSource(deps.db, row);
    if (!created) throw new AppError(409, "exists", `A source with the slug "${row.slug}" exists; give another slug`);
    forgetOfferedCountries(deps);
    return c.json({ source: sourceJson(created) }, 201);
  });

  app.patch("/sources/:id", async (c) => {
    const id = sourceId(c.req.param("id"));
    const existing = await findSourceById(deps.db, id);
    if (!existing) throw notFound("No source with this id");
    const parsed = parseSourceFields(await jsonBody(c), true);
    if (!parsed.ok) throw badRequest("Some fields are invalid", parsed.fields);
    const patch = parsed.value;
    if (existing.isSample && patch.feedUrl !== undefined) {
      throw badRequest("Sample sources read their feed from db/sample-feeds", { feedUrl: "Cannot be changed on a sample source." });
    }
    const country = patch.country ?? existing.country;
    if ((patch.isReference ?? existing.isReference) && country !== "US") {
      throw badRequest("Some fields are invalid", { isReference: "Reference outlets are US outlets." });
    }
    const resetFetchState =
      (patch.feedUrl !== undefined && patch.feedUrl !== existing.feedUrl) || (patch.enabled === true && !existing.enabled);
    const updated = await updateSource(deps.db, id, patch, { resetFetchState });
    if (!updated) throw notFound("No source with this id");
    forgetOfferedCountries(deps);
    return c.json({ source: sourceJson(updated) });
  });

  return app;
}
