// "/manage/<token>": see and change preferences, pause/resume, export, erase. No login: the signed
// link is the key. Every change is a POST (CSRF-checked); GET never changes anything.
import { Hono, type Context } from "hono";
import type { Deps } from "../deps";
import { ManagePage, DeleteConfirmPage, DeletedPage } from "../views/manage-page";
import { TokenProblemPage } from "../views/pages";
import { resolveToken, type Resolved } from "../subscriptions/resolve-token";
import { formValues } from "../http/client-ip";
import { parsePreferences, rawFrom, type FieldErrors, type RawPreferences } from "../subscriptions/preferences";
import {
  changePreferences,
  eraseSubscriber,
  exportSubscriberData,
  pauseSubscription,
  resumeSubscription,
} from "../subscriptions/service";
import { linkFor } from "../tokens";
import { offeredCountries } from "../subscriptions/offered-countries";
import type { Subscriber } from "../../db/queries/subscribers";

// A Map: `?done=` is the visitor's text, and a plain object would answer "constructor" too.
const notices = new Map([
  ["saved", "Your changes are saved."],
  ["paused", "Deliveries are paused. Resume whenever you like."],
  ["resumed", "Deliveries are back on."],
]);

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
  const app = new Hono<{ Variables: { subscriber: Subscriber } }>();

  const render = async (c: Context, s: Subscriber, values: RawPreferences, errors: FieldErrors, status: 200 | 400 = 200) => {
    const token = c.req.param("token") ?? "";
    const unsubscribeUrl = linkFor("", deps.config.appSecret, "unsubscribe", s, deps.clock());
    const notice = notices.get(c.req.query("done") ?? "");
    return c.html(
      <ManagePage subscriber={s} base={`/manage/${token}`} unsubscribeUrl={unsubscribeUrl} values={values} errors={errors} notice={notice} offered={await offeredCountries(deps)} />,
      status,
    );
  };

  app.use("/:token/*", async (c, next) => {
    const resolved: Resolved = await resolveToken(deps, c.req.param("token") ?? "", "manage");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    c.set("subscriber", resolved.subscriber);
    await next();
  });
  app.use("/:token", async (c, next) => {
    // "/:token/*" matches "/:token" too: the subscriber is already resolved (one query, not two).
    if (c.get("subscriber")) return next();
    const resolved: Resolved = await resolveToken(deps, c.req.param("token") ?? "", "manage");
    if (!resolved.ok) return c.html(<TokenProblemPage problem={resolved.problem} />, 400);
    c.set("subscriber", resolved.subscriber);
    await next();
  });

  app.get("/:token", (c) => {
    const s = c.get("subscriber");
    return render(c, s, rawOf(s), {});
  });

  app.post("/:token", async (c) => {
    const s = c.get("subscriber");
    const raw = rawFrom(await formValues(c));
    const parsed = parsePreferences(raw);
    if (!parsed.ok) return render(c, s, raw, parsed.errors, 400);
    await changePreferences(deps, s, parsed.value);
    return c.redirect(`/manage/${c.req.param("token")}?done=saved`, 303);
  });

  app.post("/:token/pause", async (c) => {
    await pauseSubscription(deps, c.get("subscriber"));
    return c.redirect(`/manage/${c.req.param("token")}?done=paused`, 303);
  });

  app.post("/:token/resume", async (c) => {
    await resumeSubscription(deps, c.get("subscriber"));
    return c.redirect(`/manage/${c.req.param("token")}?done=resumed`, 303);
  });

  app.get("/:token/export", async (c) => {
    const data = await exportSubscriberData(deps, c.get("subscriber"));
    c.header("Content-Disposition", 'attachment; filename="world-digest-data.json"');
    c.header("Cache-Control", "no-store");
    return c.body(JSON.stringify(data, null, 2), 200, { "Content-Type": "application/json; charset=utf-8" });
  });

  app.get("/:token/delete", (c) => {
    const token = c.req.param("token");
    return c.html(<DeleteConfirmPage action={`/manage/${token}/delete`} email={c.get("subscriber").email} cancel={`/manage/${token}`} />);
  });

  app.post("/:token/delete", async (c) => {
    const form = await formValues(c);
    const token = c.req.param("token");
    if (form.confirm !== "yes") return c.redirect(`/manage/${token}/delete`, 303);
    await eraseSubscriber(deps, c.get("subscriber"));
    return c.html(<DeletedPage />);
  });

  return app;
}
