// "/confirm/<token>": GET shows a Confirm button (link scanners open it harmlessly); only POST confirms.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { ConfirmPage, ConfirmedPage, TokenProblemPage } from "../views/pages";
import { resolveToken } from "../subscriptions/resolve-token";
import { confirmSubscription } from "../subscriptions/service";
import { describeSchedule } from "../subscriptions/preferences";
import { linkFor } from "../tokens";

export function confirmRoutes(deps: Deps) {
  const app = new Hono();

  app.get("/:token", async (c) => {
    const resolved = await resolveToken(deps, c.req.param("token"), "confirm");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    const { subscriber } = resolved;
    if (subscriber.status === "active" || subscriber.status === "paused") {
      const manageUrl = linkFor(deps.config.publicUrl, deps.config.appSecret, "manage", subscriber, deps.clock());
      return c.html(<ConfirmedPage manageUrl={manageUrl} schedule={describeSchedule(subscriber)} already />);
    }
    if (subscriber.status !== "pending") return c.html(<TokenProblemPage problem="gone" />, 400);
    return c.html(<ConfirmPage action={`/confirm/${c.req.param("token")}`} email={subscriber.email} />);
  });

  app.post("/:token", async (c) => {
    const resolved = await resolveToken(deps, c.req.param("token"), "confirm");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    const result = await confirmSubscription(deps, resolved.subscriber);
    if (result === "not-pending") return c.html(<TokenProblemPage problem="gone" />, 400);
    const manageUrl = linkFor(deps.config.publicUrl, deps.config.appSecret, "manage", resolved.subscriber, deps.clock());
    return c.html(<ConfirmedPage manageUrl={manageUrl} schedule={describeSchedule(resolved.subscriber)} already={result === "already-active"} />);
  });

  return app;
}
