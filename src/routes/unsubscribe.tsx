// "/unsubscribe/<token>": GET shows one Unsubscribe button; POST unsubscribes. The same POST URL is
// the RFC 8058 one-click target (body "List-Unsubscribe=One-Click", no cookies, no Origin), so this
// route stays outside CSRF checking: the signed token is what authorises it, and it answers 200, no redirect.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { ResubscribedPage, TokenProblemPage, UnsubscribePage, UnsubscribedPage } from "../views/pages";
import { resolveToken } from "../subscriptions/resolve-token";
import { resubscribe, unsubscribe } from "../subscriptions/service";
import { linkFor } from "../tokens";

export function unsubscribeRoutes(deps: Deps) {
  const app = new Hono();
  const manageUrl = (s: { id: string; tokenVersion: number }) => linkFor("", deps.config.appSecret, "manage", s, deps.clock());

  app.get("/:token", async (c) => {
    const token = c.req.param("token");
    const resolved = await resolveToken(deps, token, "unsubscribe");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    const s = resolved.subscriber;
    if (s.status === "unsubscribed") return c.html(<UnsubscribedPage resubscribeAction={`/unsubscribe/${token}/resubscribe`} />);
    return c.html(<UnsubscribePage action={`/unsubscribe/${token}`} manageUrl={manageUrl(s)} email={s.email} />);
  });

  app.post("/:token", async (c) => {
    const token = c.req.param("token");
    const resolved = await resolveToken(deps, token, "unsubscribe");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    await unsubscribe(deps, resolved.subscriber);
    deps.log.info("unsubscribed", { subscriberId: resolved.subscriber.id, oneClick: await isOneClick(c.req.raw) });
    return c.html(<UnsubscribedPage resubscribeAction={`/unsubscribe/${token}/resubscribe`} />, 200);
  });

  return app;
}

/** Resubscribing is a normal form (CSRF-checked), mounted apart from the one-click route. */
export function resubscribeRoutes(deps: Deps) {
  const app = new Hono();
  app.post("/:token/resubscribe", async (c) => {
    const resolved = await resolveToken(deps, c.req.param("token"), "unsubscribe");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    const outcome = await resubscribe(deps, resolved.subscriber);
    const manageUrl = linkFor("", deps.config.appSecret, "manage", resolved.subscriber, deps.clock());
    return c.html(<ResubscribedPage outcome={outcome} manageUrl={manageUrl} />);
  });
  return app;
}

async function isOneClick(request: Request): Promise<boolean> {
  try {
    const form = await request.clone().formData();
    return form.get("List-Unsubscribe") === "One-Click";
  } catch {
    return false;
  }
}
