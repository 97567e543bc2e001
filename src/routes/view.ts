// "/view/<token>": a subscriber's edition in the browser (token purpose "view", bound to the edition).
// GET only and read-only: a link scanner opening it changes nothing.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { emailCsp } from "../http/security-headers";
import { resolveToken } from "../subscriptions/resolve-token";
import { viewEdition } from "../digest/edition-view";
import { ErrorPage, TokenProblemPage } from "../views/pages";

export function viewRoutes(deps: Deps): Hono {
  const app = new Hono();

  app.get("/:token", async (c) => {
    const resolved = await resolveToken(deps, c.req.param("token"), "view");
    if (!resolved.ok) return c.html(TokenProblemPage({ problem: resolved.problem }), 404);
    const view = await viewEdition(deps, resolved.subscriber, resolved.claims.extra);
    if (view.kind === "unavailable") return c.html(ErrorPage({ title: view.title, message: view.message }), 404);
    c.header("Content-Security-Policy", emailCsp);
    c.header("Cache-Control", "private, no-store");
    c.header("X-Robots-Tag", "noindex, nofollow");
    return c.html(view.html);
  });

  return app;
}
