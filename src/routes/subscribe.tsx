// "/" and "/subscribe": the landing page with the form, and its answer — the same for every address, in
// the same time: the request is only queued here, and decided and mailed after the answer
// (src/subscriptions/subscribe-requests.ts).
import { Hono } from "hono";
import type { Deps } from "../deps";
import { HomePage, CheckInboxPage } from "../views/pages";
import { clientAddress, formValues } from "../http/client-ip";
import { parseEmail, parsePreferences, rawFrom, type FieldErrors } from "../subscriptions/preferences";
import { checkIpRateLimit } from "../subscriptions/service";
import { queueSubscription } from "../subscriptions/subscribe-requests";
import { offeredCountries } from "../subscriptions/offered-countries";

export function subscribeRoutes(deps: Deps) {
  const app = new Hono();

  app.get("/", async (c) => c.html(<HomePage values={{ countries: [], deliveryTime: "07:00", frequency: "daily" }} errors={{}} offered={await offeredCountries(deps)} />));

  app.get("/subscribe", (c) => c.redirect("/#subscribe", 303));

  app.post("/subscribe", async (c) => {
    const raw = rawFrom(await formValues(c));
    const email = parseEmail(raw.email);
    const prefs = parsePreferences(raw);
    if (!email.ok || !prefs.ok) {
      const errors: FieldErrors = { ...(prefs.ok ? {} : prefs.errors), ...(email.ok ? {} : { email: email.error }) };
      return c.html(<HomePage values={raw} errors={errors} offered={await offeredCountries(deps)} />, 400);
    }
    await checkIpRateLimit(deps, "subscribe", clientAddress(c, deps.config.TRUST_PROXY));
    await queueSubscription(deps, email.value, prefs.value);
    return c.html(<CheckInboxPage />);
  });

  return app;
}
