// "/unsubscribe/<token>": GET shows one Unsubscribe button; POST unsubscribes. The same POST URL is
// the RFC 8058 one-click target (body "List-Unsubscribe=One-Click", no cookies, no Origin), so this
// route stays outside CSRF checking: the signed token is what authorises it, and it answers 200, no redirect.
// It works from any link of the subscription however old (the law and RFC 8058 expect it to), ends every
// link of the subscription (the next one, if any, starts with new ones), and once the reader has left the
// link still answers "you're unsubscribed" (a provider may repeat the POST). No page here shows the manage
// link: this URL is in every digest's List-Unsubscribe header.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { ErrorPage, PausedPage, ResubscribedPage, TokenProblemPage, UnsubscribePage, UnsubscribedPage } from "../views/pages";
import { resolveToken, resolveTokenAnyVersion } from "../subscriptions/resolve-token";
import { checkIpRateLimit, pauseSubscription, resubscribe, unsubscribe } from "../subscriptions/service";
import { maskedEmail } from "../subscriptions/mailbox";
import { clientAddress } from "../http/client-ip";

export function unsubscribeRoutes(deps: Deps) {
  const app = new Hono();

  app.get("/:token", async (c) => {
    const token = c.req.param("token");
    const resolved = await resolveTokenAnyVersion(deps, token, "unsubscribe");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    const s = resolved.subscriber;
    if (s.status === "unsubscribed") return c.html(<UnsubscribedPage resubscribeAction={`/unsubscribe/${token}/resubscribe`} />);
    if (!resolved.current) return c.html(<TokenProblemPage problem="gone" />, 400);
    return c.html(<UnsubscribePage action={`/unsubscribe/${token}`} pauseAction={`/unsubscribe/${token}/pause`} email={maskedEmail(s.email)} paused={s.status !== "active"} />);
  });

  app.post("/:token", async (c) => {
    const token = c.req.param("token");
    const resolved = await resolveTokenAnyVersion(deps, token, "unsubscribe");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    if (resolved.subscriber.status !== "unsubscribed") {
      if (!resolved.current) return c.html(<TokenProblemPage problem="gone" />, 400);
      await unsubscribe(deps, resolved.subscriber);
      deps.log.info("unsubscribed", { subscriberId: resolved.subscriber.id, oneClick: await isOneClick(c.req.raw) });
    }
    return c.html(<UnsubscribedPage resubscribeAction={`/unsubscribe/${token}/resubscribe`} />, 200);
  });

  return app;
}

/** Resubscribing and pausing are normal forms (CSRF-checked), mounted apart from the one-click route. */
export function resubscribeRoutes(deps: Deps) {
  const app = new Hono();

  // From the page that confirmed the unsubscribe, or any unsubscribe link of a reader who left: a
  // confirmation email, as the subscribe form sends — nothing turns back on without the mailbox.
  app.post("/:token/resubscribe", async (c) => {
    const resolved = await resolveTokenAnyVersion(deps, c.req.param("token"), "unsubscribe");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    if (resolved.subscriber.status !== "unsubscribed" && !resolved.current) return c.html(<TokenProblemPage problem="gone" />, 400);
    await checkIpRateLimit(deps, "subscribe", clientAddress(c, deps.config.TRUST_PROXY));
    return c.html(<ResubscribedPage outcome={await resubscribe(deps, resolved.subscriber)} />);
  });

  app.post("/:token/pause", async (c) => {
    const resolved = await resolveToken(deps, c.req.param("token"), "unsubscribe");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    const after = await pauseSubscription(deps, resolved.subscriber);
    if (after.status !== "paused") return c.html(<ErrorPage title="Nothing to pause" message="This subscription isn't receiving the digest, so there is nothing to pause." />, 400);
    return c.html(<PausedPage />);
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
