// The news app's subscriber API (bearer token, mounted under /api): create, read, update, unsubscribe.
import { Hono, type Context } from "hono";
import type { Deps } from "../deps";
import { AppError, badRequest, notFound } from "../errors";
import { findSubscriberByEmail, findSubscriberById, insertSubscriber, type Subscriber } from "../../db/queries/subscribers";
import { parseEmail, parsePreferences, rawFrom, type RawPreferences } from "../subscriptions/preferences";
import { changePreferences, scheduleFrom, unsubscribe, eraseSubscriber } from "../subscriptions/service";
import { queueSubscriberMail } from "../../db/queries/mail-queue";

export function subscriberJson(s: Subscriber) {
  return {
    id: s.id,
    email: s.email,
    status: s.status,
    countries: s.countries,
    frequency: s.frequency,
    weeklyDay: s.weeklyDay,
    deliveryTime: s.deliveryTime,
    timeZone: s.timeZone,
    nextSendAt: s.nextSendAt?.toISOString() ?? null,
    origin: s.origin,
    createdAt: s.createdAt.toISOString(),
    confirmedAt: s.confirmedAt?.toISOString() ?? null,
  };
}

export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) throw new AppError(415, "unsupported_media_type", "Send a JSON body (Content-Type: application/json)");
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw badRequest("The body is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("The body must be a JSON object");
  return body as Record<string, unknown>;
}

export function subscribersApi(deps: Deps) {
  const app = new Hono();

  const load = async (id: string) => {
    const s = await findSubscriberById(deps.db, id);
    if (!s) throw notFound("No subscriber with this id");
    return s;
  };

  app.post("/subscribers", async (c) => {
    const body = await jsonBody(c);
    const email = parseEmail(typeof body.email === "string" ? body.email : undefined);
    const prefs = parsePreferences(rawFrom(body));
    const fields = { ...(prefs.ok ? {} : prefs.errors), ...(email.ok ? {} : { email: email.error }) };
    if (!email.ok || !prefs.ok) throw badRequest("Some fields are invalid", fields as Record<string, string>);
    if (body.confirmed !== undefined && typeof body.confirmed !== "boolean") throw badRequest("confirmed must be true or false", { confirmed: "Must be a boolean." });
    const existing = await findSubscriberByEmail(deps.db, email.value);
    if (existing) throw new AppError(409, "exists", `A subscriber with this address exists (id ${existing.id})`);
    const now = deps.clock();
    const confirmed = body.confirmed === true;
    const created = await insertSubscriber(deps.db, {
      email: email.value,
      ...prefs.value,
      origin: "api",
      status: confirmed ? "active" : "pending",
      confirmedAt: confirmed ? now : null,
      nextSendAt: confirmed ? scheduleFrom(prefs.value, now) : null,
      confirmationSentAt: confirmed ? null : now,
      createdAt: now,
      updatedAt: now,
    });
    if (!created) throw new AppError(409, "exists", "A subscriber with this address exists");
    if (!confirmed) {
      // Sent after the answer, like every service email (src/subscriptions/mail-queue.ts).
      await queueSubscriberMail(deps.db, "confirm", created.id, created.tokenVersion, now);
      deps.mailQueued?.();
    }
    return c.json({ subscriber: subscriberJson((await findSubscriberById(deps.db, created.id)) ?? created) }, 201);
  });

  app.get("/subscribers", async (c) => {
    const email = parseEmail(c.req.query("email"));
    if (!email.ok) throw badRequest("Give ?email=<address>", { email: email.error });
    const s = await findSubscriberByEmail(deps.db, email.value);
    if (!s) throw notFound("No subscriber with this address");
    return c.json({ subscriber: subscriberJson(s) });
  });

  app.get("/subscribers/:id", async (c) => c.json({ subscriber: subscriberJson(await load(c.req.param("id"))) }));

  app.patch("/subscribers/:id", async (c) => {
    const s = await load(c.req.param("id"));
    const body = await jsonBody(c);
    const current: RawPreferences = {
      countries: s.countries,
      frequency: s.frequency,
      weeklyDay: s.weeklyDay === null ? undefined : String(s.weeklyDay),
      deliveryTime: s.deliveryTime,
      timeZone: s.timeZone,
    };
    const given = rawFrom(body);
    const merged: RawPreferences = {
      countries: body.countries === undefined ? current.countries : given.countries,
      frequency: given.frequency ?? current.frequency,
      weeklyDay: given.weeklyDay ?? current.weeklyDay,
      deliveryTime: given.deliveryTime ?? current.deliveryTime,
      timeZone: given.timeZone ?? current.timeZone,
    };
    const prefs = parsePreferences(merged);
    if (!prefs.ok) throw badRequest("Some fields are invalid", prefs.errors as Record<string, string>);
    return c.json({ subscriber: subscriberJson(await changePreferences(deps, s, prefs.value)) });
  });

  app.post("/subscribers/:id/unsubscribe", async (c) => {
    const s = await unsubscribe(deps, await load(c.req.param("id")));
    return c.json({ subscriber: subscriberJson(s) });
  });

  app.delete("/subscribers/:id", async (c) => {
    await eraseSubscriber(deps, await load(c.req.param("id")));
    return c.body(null, 204);
  });

  return app;
}
