// "/confirm/<token>": GET shows a Confirm button (link scanners open it harmlessly); only POST confirms.
// A confirmation link confirms the request it was sent for and nothing later: a newer request (from
// anyone) gives the subscriber a new token version, and this link then no longer works. The page shows
// what the request asked for, and no manage link.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { ConfirmPage, ConfirmedPage, TokenProblemPage } from "../views/pages";
import { countryName } from "../countries";
import { resolveToken } from "../subscriptions/resolve-token";
import { confirmSubscription } from "../subscriptions/service";
import { describeSchedule } from "../subscriptions/preferences";
import { maskedEmail } from "../subscriptions/mailbox";

export function confirmRoutes(deps: Deps) {
  const app = new Hono();

  app.get("/:token", async (c) => {
    const resolved = await resolveToken(deps, c.req.param("token"), "confirm");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    const { subscriber } = resolved;
    if (subscriber.status === "active" || subscriber.status === "paused") {
      return c.html(<ConfirmedPage schedule={describeSchedule(subscriber)} already />);
    }
    if (subscriber.status !== "pending") return c.html(<TokenProblemPage problem="gone" />, 400);
    return c.html(
      <ConfirmPage
        action={`/confirm/${c.req.param("token")}`}
        email={maskedEmail(subscriber.email)}
        countries={subscriber.countries.map(countryName).join(", ")}
        schedule={describeSchedule(subscriber)}
      />,
    );
  });

  app.post("/:token", async (c) => {
    const resolved = await resolveToken(deps, c.req.param("token"), "confirm");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    const result = await confirmSubscription(deps, resolved.subscriber, resolved.claims);
    if (result === "not-pending") return c.html(<TokenProblemPage problem="gone" />, 400);
    return c.html(<ConfirmedPage schedule={describeSchedule(resolved.subscriber)} already={result === "already-active"} />);
  });

  return app;
}
