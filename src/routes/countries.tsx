// "/countries" and "/countries/<code>": the countries we read, and one country's latest stories with the
// subscribe form ticked for it. Public pages with nothing personal, so they are cached: each is rendered
// at most once per COUNTRY_PAGE_TTL_MS per running service, and browsers and shared caches may keep it as
// long. Stories change when ingestion runs (every 30 minutes); a page is at most twice the TTL behind.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { countryByCode } from "../countries";
import { COUNTRY_WINDOW_MS, countryStories } from "../digest/country-stories";
import { remember } from "../service-memo";
import { offeredCountries } from "../subscriptions/offered-countries";
import { CountriesPage, CountryNotFoundPage, CountryPage } from "../views/country-page";

export const COUNTRY_PAGE_TTL_MS = 5 * 60_000;
const cacheControl = `public, max-age=${COUNTRY_PAGE_TTL_MS / 1000}`;

export function countryRoutes(deps: Deps): Hono {
  const app = new Hono();

  app.get("/", async (c) => {
    const html = await remember(deps.config, "country-index", deps.clock(), COUNTRY_PAGE_TTL_MS, async () =>
      String(<CountriesPage offered={await offeredCountries(deps)} />),
    );
    return c.html(html, 200, { "Cache-Control": cacheControl });
  });

  app.get("/:code", async (c) => {
    const asked = c.req.param("code");
    // One address per country: /countries/KE → /countries/ke.
    if (/^[A-Za-z]{2}$/.test(asked) && asked !== asked.toLowerCase()) return c.redirect(`/countries/${asked.toLowerCase()}`, 301);
    const country = /^[a-z]{2}$/.test(asked) ? countryByCode(asked.toUpperCase()) : undefined;
    if (!country) {
      const shown = asked.replace(/[\p{Cc}\p{Cf}]/gu, "").slice(0, 24);
      return c.html(<CountryNotFoundPage asked={shown} />, 404);
    }
    const now = deps.clock();
    const html = await remember(deps.config, `country-page:${country.code}`, now, COUNTRY_PAGE_TTL_MS, async () => {
      const [stories, offered] = await Promise.all([countryStories(deps.db, country.code, now), offeredCountries(deps)]);
      return String(<CountryPage country={country} stories={stories} offered={offered} windowDays={COUNTRY_WINDOW_MS / 86_400_000} />);
    });
    return c.html(html, 200, { "Cache-Control": cacheControl });
  });

  return app;
}
