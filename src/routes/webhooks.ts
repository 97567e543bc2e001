// POST /webhooks/resend: the provider tells us about bounces, complaints and deliveries. Authenticated
// by the Svix signature over the RAW body (not by cookies; mounted outside the CSRF check). Idempotent on
// svix-id: a redelivered event changes nothing. A bounce or complaint suppresses the address, so no later
// digest goes to it, and marks the subscriber; other events are only recorded.
import { Hono } from "hono";
import type { Deps } from "../deps";
import { errorBody } from "../errors";
import { emailForProviderMessage, markUndeliverable, recordWebhookEvent, suppressAddress } from "../../db/queries/webhook-events";
import { verifySvixSignature } from "../webhooks/svix-signature";

interface ResendEvent {
  type?: unknown;
  data?: { email_id?: unknown; to?: unknown; bounce?: { message?: unknown; type?: unknown } };
}

// A Map, not an object literal: the event type is the sender's text, and "constructor" or "toString" would
// find Object.prototype's members in a plain object.
const STOPPING = new Map<string, "bounced" | "complained">([
  ["email.bounced", "bounced"],
  ["email.complained", "complained"],
]);

function firstRecipient(to: unknown): string | null {
  const value = Array.isArray(to) ? to[0] : to;
  if (typeof value !== "string") return null;
  const email = value.trim().toLowerCase();
  return email.length > 0 && email.length <= 254 && email.includes("@") ? email : null;
}

/**
 * PostgreSQL text and jsonb hold neither U+0000 nor lone surrogates: such characters in an event are stored
 * as U+FFFD (instead of failing the insert). Throws on absurd nesting, which the caller answers with 400.
 */
function storable(value: unknown, depth = 0): unknown {
  if (depth > 64) throw new Error("nested too deeply");
  if (typeof value === "string") return /[\u0000\ud800-\udfff]/.test(value) ? Buffer.from(value.replace(/\u0000/g, "\ufffd")).toString() : value;
  if (Array.isArray(value)) return value.map((v) => storable(v, depth + 1));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k, depth + 1), storable(v, depth + 1)]));
  return value;
}

export function webhookRoutes(deps: Deps): Hono {
  const app = new Hono();

  app.post("/resend", async (c) => {
    const secret = deps.config.RESEND_WEBHOOK_SECRET;
    if (!secret) return c.json(errorBody("webhooks_disabled", "webhooks disabled: set RESEND_WEBHOOK_SECRET to accept provider events"), 401);
    const raw = await c.req.text();
    const check = verifySvixSignature(
      secret,
      { id: c.req.header("svix-id"), timestamp: c.req.header("svix-timestamp"), signature: c.req.header("svix-signature") },
      raw,
      deps.clock(),
    );
    if (!check.ok) return c.json(errorBody("invalid_signature", `Webhook signature rejected: ${check.reason}`), 401);

    let event: ResendEvent;
    try {
      event = storable(JSON.parse(raw)) as ResendEvent;
    } catch {
      return c.json(errorBody("invalid_request", "The body is not JSON (or is nested too deeply)"), 400);
    }
    if (!event || typeof event !== "object" || typeof event.type !== "string" || event.type.length > 100) {
      return c.json(errorBody("invalid_request", "The event has no type"), 400);
    }
    const type = event.type;
    const svixId = c.req.header("svix-id")!;
    const providerMessageId = typeof event.data?.email_id === "string" ? event.data.email_id.slice(0, 200) : null;
    const now = deps.clock();

    const outcome = await deps.db.transaction(async (tx) => {
      const email = firstRecipient(event.data?.to) ?? (providerMessageId ? ((await emailForProviderMessage(tx, providerMessageId)) ?? null) : null);
      const fresh = await recordWebhookEvent(tx, { id: svixId, type, email, providerMessageId, payload: event }, now);
      if (!fresh) return { duplicate: true, suppressed: false };
      const status = STOPPING.get(type);
      if (!status || !email) return { duplicate: false, suppressed: false };
      const detail = typeof event.data?.bounce?.message === "string" ? `: ${event.data.bounce.message.slice(0, 300)}` : "";
      await suppressAddress(tx, email, `${status}${detail}`, now);
      await markUndeliverable(tx, email, status, now);
      return { duplicate: false, suppressed: true };
    });
    if (outcome.suppressed) deps.log.info("address suppressed by provider event", { type, svixId });
    return c.json({ ok: true, type, ...outcome });
  });

  return app;
}
