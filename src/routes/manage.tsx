// "/manage/<token>": see and change preferences, pause/resume, export, erase, ask for a fresh link. No
// login: the signed link is the key. Every change is a POST (CSRF-checked); GET never changes anything.
// What a link may do depends on its age (src/subscriptions/link-policy.ts): any link of the current
// version changes settings and pauses; export, erase and the full address need one emailed on request
// within FRESH_LINK_MS, else the reader is offered (or, erasing, sent) a fresh one.
import { Hono, type Context } from "hono";
import type { Deps } from "../deps";
import { ManagePage, DeleteConfirmPage, DeletedPage } from "../views/manage-page";
import { ErrorPage, FreshLinkNeededPage, FreshLinkSentPage, ManageHelpPage, TokenProblemPage } from "../views/pages";
import { resolveToken } from "../subscriptions/resolve-token";
import { formValues } from "../http/client-ip";
import { parsePreferences, rawFrom, type FieldErrors, type RawPreferences } from "../subscriptions/preferences";
import {
  changePreferences,
  eraseSubscriber,
  exportSubscriberData,
  pauseSubscription,
  requestFreshLink,
  resumeSubscription,
} from "../subscriptions/service";
import { FRESH_LINK_MS, isFreshLink } from "../subscriptions/link-policy";
import { linkFor } from "../tokens";
import { offeredCountries } from "../subscriptions/offered-countries";
import type { Subscriber } from "../../db/queries/subscribers";

// A Map: `?done=` is the visitor's text, and a plain object would answer "constructor" too.
const notices = new Map([
  ["saved", "Your changes are saved."],
  ["paused", "Deliveries are paused. Resume whenever you like."],
  ["resumed", "Deliveries are back on."],
]);

const FRESH_HOURS = FRESH_LINK_MS / 3600_000;

function rawOf(s: Subscriber): RawPreferences {
  return {
    countries: s.countries,
    frequency: s.frequency,
    weeklyDay: s.weeklyDay === null ? undefined : String(s.weeklyDay),
    deliveryTime: s.deliveryTime,
    timeZone: s.timeZone,
  };
}

export function manageRoutes(deps: Deps) {
  const app = new Hono<{ Variables: { subscriber: Subscriber; fresh: boolean } }>();
  const base = (c: Context) => `/manage/${c.req.param("token")}`;

  const render = async (c: Context, s: Subscriber, fresh: boolean, values: RawPreferences, errors: FieldErrors, status: 200 | 400 = 200) => {
    const unsubscribeUrl = linkFor("", deps.config.appSecret, "unsubscribe", s, deps.clock());
    const notice = notices.get(c.req.query("done") ?? "");
    return c.html(
      <ManagePage subscriber={s} base={base(c)} unsubscribeUrl={unsubscribeUrl} values={values} errors={errors} notice={notice} fresh={fresh} freshForHours={FRESH_HOURS} offered={await offeredCountries(deps)} />,
      status,
    );
  };
  const freshLinkNeeded = (c: Context) => c.html(<FreshLinkNeededPage action={`${base(c)}/fresh-link`} hours={FRESH_HOURS} />, 403);

  // "/manage" without a token: where the view-in-browser page's Manage link leads.
  app.get("/", (c) => c.html(<ManageHelpPage />));

  const resolve = async (c: Context, next: () => Promise<void>) => {
    // "/:token/*" matches "/:token" too: the subscriber is already resolved (one query, not two).
    if (c.get("subscriber")) return next();
    const resolved = await resolveToken(deps, c.req.param("token") ?? "", "manage");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    c.set("subscriber", resolved.subscriber);
    c.set("fresh", isFreshLink(resolved.claims, deps.clock()));
    await next();
  };
  app.use("/:token/*", resolve);
  app.use("/:token", resolve);

  app.get("/:token", (c) => {
    const s = c.get("subscriber");
    return render(c, s, c.get("fresh"), rawOf(s), {});
  });

  app.post("/:token", async (c) => {
    const s = c.get("subscriber");
    if (s.status !== "active" && s.status !== "paused") {
      return c.html(<ErrorPage title="Nothing to change" message="This subscription isn't active, so there is nothing to change." />, 400);
    }
    const raw = rawFrom(await formValues(c));
    const parsed = parsePreferences(raw);
    if (!parsed.ok) return render(c, s, c.get("fresh"), raw, parsed.errors, 400);
    await changePreferences(deps, s, parsed.value);
    return c.redirect(`${base(c)}?done=saved`, 303);
  });

  app.post("/:token/pause", async (c) => {
    await pauseSubscription(deps, c.get("subscriber"));
    return c.redirect(`${base(c)}?done=paused`, 303);
  });

  app.post("/:token/resume", async (c) => {
    await resumeSubscription(deps, c.get("subscriber"));
    return c.redirect(`${base(c)}?done=resumed`, 303);
  });

  app.post("/:token/fresh-link", async (c) => {
    const outcome = await requestFreshLink(deps, c.get("subscriber"));
    if (outcome === "not-active") return c.html(<ErrorPage title="Nothing to send" message="This subscription isn't active, so there is no link to send." />, 400);
    return c.html(<FreshLinkSentPage />);
  });

  app.get("/:token/export", async (c) => {
    if (!c.get("fresh")) return freshLinkNeeded(c);
    const data = await exportSubscriberData(deps, c.get("subscriber"));
    c.header("Content-Disposition", 'attachment; filename="world-digest-data.json"');
    c.header("Cache-Control", "no-store");
    return c.body(JSON.stringify(data, null, 2), 200, { "Content-Type": "application/json; charset=utf-8" });
  });

  app.get("/:token/delete", (c) => {
    if (!c.get("fresh")) return freshLinkNeeded(c);
    return c.html(<DeleteConfirmPage action={`${base(c)}/delete`} email={c.get("subscriber").email} cancel={base(c)} />);
  });

  app.post("/:token/delete", async (c) => {
    const form = await formValues(c);
    if (form.confirm !== "yes") return c.redirect(`${base(c)}/delete`, 303);
    if (!c.get("fresh")) {
      // Erasing from a link that may have been forwarded: the mailbox decides, through a fresh link.
      const outcome = await requestFreshLink(deps, c.get("subscriber"));
      if (outcome === "sent") return c.html(<FreshLinkSentPage />);
      return freshLinkNeeded(c);
    }
    await eraseSubscriber(deps, c.get("subscriber"));
    return c.html(<DeletedPage />);
  });

  return app;
}
