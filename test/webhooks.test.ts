import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { createMemoryMailer } from "./helpers/memory-mailer";
import { testConfig } from "../src/config";
import { silentLogger } from "../src/log";
import type { Deps } from "../src/deps";
import { webhookRoutes } from "../src/routes/webhooks";
import { signPayload, verifySvixSignature } from "../src/webhooks/svix-signature";
import { subscribers, suppressions, webhookEvents } from "../db/schema";

const SECRET = `whsec_${Buffer.from("a very secret webhook signing key!").toString("base64")}`;
const now = new Date("2026-05-11T05:00:00Z");
const ts = String(Math.floor(now.getTime() / 1000));

let database: TestDatabase;
let deps: Deps;
beforeAll(async () => {
  database = await createTestDatabase();
  deps = {
    db: database.db,
    dbKind: database.kind,
    config: testConfig({ RESEND_WEBHOOK_SECRET: SECRET }),
    clock: () => now,
    mailer: createMemoryMailer(),
    log: silentLogger,
  };
  await database.db.insert(subscribers).values([
    { email: "bounce@example.com", status: "active", countries: ["JP"], timeZone: "UTC", nextSendAt: now },
    { email: "complain@example.com", status: "active", countries: ["JP"], timeZone: "UTC", nextSendAt: now },
    { email: "fine@example.com", status: "active", countries: ["JP"], timeZone: "UTC", nextSendAt: now },
  ]);
});
afterAll(() => database.drop());

function post(body: string, headers: Record<string, string>, d: Deps = deps) {
  return webhookRoutes(d).request("/resend", { method: "POST", body, headers: { "content-type": "application/json", ...headers } });
}

function signed(event: unknown, id: string, timestamp = ts, secret = SECRET) {
  const body = JSON.stringify(event);
  return { body, headers: { "svix-id": id, "svix-timestamp": timestamp, "svix-signature": `v1,${signPayload(secret, id, timestamp, body)}` } };
}

const event = (type: string, to: string) => ({
  type,
  created_at: now.toISOString(),
  data: { email_id: `re_${to}`, to: [to], subject: "3 overlooked stories", bounce: { message: "mailbox does not exist", type: "Permanent" } },
});

describe("svix signature", () => {
  it("accepts a valid signature among several entries (secret rotation) and refuses tampering", () => {
    const body = '{"type":"email.delivered"}';
    const good = signPayload(SECRET, "msg_1", ts, body);
    const headers = { id: "msg_1", timestamp: ts, signature: `v1,${Buffer.alloc(32).toString("base64")} v1,${good}` };
    expect(verifySvixSignature(SECRET, headers, body, now)).toEqual({ ok: true });
    expect(verifySvixSignature(SECRET, headers, body + " ", now).ok).toBe(false);
    expect(verifySvixSignature(SECRET, { ...headers, id: "msg_2" }, body, now).ok).toBe(false);
    expect(verifySvixSignature(SECRET, { ...headers, signature: `v2,${good}` }, body, now).ok).toBe(false);
    expect(verifySvixSignature(SECRET, { ...headers, timestamp: "not-a-number" }, body, now).ok).toBe(false);
  });

  it("refuses timestamps more than five minutes away, either side", () => {
    const body = "{}";
    for (const offset of [-301, 301]) {
      const t = String(Number(ts) + offset);
      const check = verifySvixSignature(SECRET, { id: "m", timestamp: t, signature: `v1,${signPayload(SECRET, "m", t, body)}` }, body, now);
      expect(check).toEqual({ ok: false, reason: "svix-timestamp is too far from now" });
    }
    const t = String(Number(ts) - 299);
    expect(verifySvixSignature(SECRET, { id: "m", timestamp: t, signature: `v1,${signPayload(SECRET, "m", t, body)}` }, body, now).ok).toBe(true);
  });
});

describe("POST /webhooks/resend", () => {
  it("a bounce suppresses the address and marks the subscriber, once, however often it is delivered", async () => {
    const { body, headers } = signed(event("email.bounced", "Bounce@Example.com"), "msg_bounce");
    const first = await post(body, headers);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ ok: true, duplicate: false, suppressed: true });
    const again = await post(body, headers);
    expect(await again.json()).toMatchObject({ ok: true, duplicate: true });

    const [row] = await database.db.select().from(subscribers).where(eq(subscribers.email, "bounce@example.com"));
    expect(row!.status).toBe("bounced");
    expect(row!.nextSendAt).toBeNull();
    const sup = await database.db.select().from(suppressions).where(eq(suppressions.email, "bounce@example.com"));
    expect(sup[0]!.reason).toBe("bounced: mailbox does not exist");
    const events = await database.db.select().from(webhookEvents).where(eq(webhookEvents.id, "msg_bounce"));
    expect(events).toHaveLength(1);
  });

  it("a complaint does the same, and a later bounce does not downgrade it", async () => {
    const c = signed(event("email.complained", "complain@example.com"), "msg_complaint");
    expect((await post(c.body, c.headers)).status).toBe(200);
    const b = signed(event("email.bounced", "complain@example.com"), "msg_bounce_2");
    expect((await post(b.body, b.headers)).status).toBe(200);
    const [row] = await database.db.select().from(subscribers).where(eq(subscribers.email, "complain@example.com"));
    expect(row!.status).toBe("complained");
  });

  it("a delivery event is recorded and changes nothing else", async () => {
    const d = signed(event("email.delivered", "fine@example.com"), "msg_delivered");
    const res = await post(d.body, d.headers);
    expect(await res.json()).toMatchObject({ ok: true, suppressed: false });
    const [row] = await database.db.select().from(subscribers).where(eq(subscribers.email, "fine@example.com"));
    expect(row!.status).toBe("active");
    expect(await database.db.select().from(webhookEvents).where(eq(webhookEvents.id, "msg_delivered"))).toHaveLength(1);
  });

  it("an event type named like an object's own members (constructor, toString, __proto__) changes nothing", async () => {
    // Found by abuse-properties (seed -1960760450): "constructor" looked up in a plain object gave a status.
    for (const [i, type] of ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf"].entries()) {
      const d = signed(event(type, "fine@example.com"), `msg_proto_${i}`);
      const res = await post(d.body, d.headers);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, suppressed: false });
    }
    const [row] = await database.db.select().from(subscribers).where(eq(subscribers.email, "fine@example.com"));
    expect(row!.status).toBe("active");
    expect(await database.db.select().from(suppressions).where(eq(suppressions.email, "fine@example.com"))).toHaveLength(0);
  });

  it("a bad, missing, stale or replayed-with-another-body signature gets 401 JSON and changes nothing", async () => {
    const good = signed(event("email.bounced", "fine@example.com"), "msg_evil");
    const cases: Array<[string, Record<string, string>]> = [
      [good.body, { ...good.headers, "svix-signature": "v1,AAAA" }],
      [good.body, {}],
      [good.body.replace("fine@", "other@"), good.headers],
      ...[signed(event("email.bounced", "fine@example.com"), "msg_old", String(Number(ts) - 3600))].map((s) => [s.body, s.headers] as [string, Record<string, string>]),
      [good.body, signed(event("email.bounced", "fine@example.com"), "msg_evil", ts, `whsec_${Buffer.from("another key").toString("base64")}`).headers],
    ];
    for (const [body, headers] of cases) {
      const res = await post(body, headers);
      expect(res.status).toBe(401);
      const json = (await res.json()) as { error: { code: string } };
      expect(json.error.code).toBe("invalid_signature");
    }
    const [row] = await database.db.select().from(subscribers).where(eq(subscribers.email, "fine@example.com"));
    expect(row!.status).toBe("active");
    expect(await database.db.select().from(webhookEvents).where(eq(webhookEvents.id, "msg_evil"))).toHaveLength(0);
  });

  it("signed garbage gets 400, not a crash", async () => {
    const id = "msg_garbage";
    for (const body of ["not json", "null", '{"type":42}', "[]"]) {
      const res = await post(body, { "svix-id": id, "svix-timestamp": ts, "svix-signature": `v1,${signPayload(SECRET, id, ts, body)}` });
      expect(res.status).toBe(400);
    }
  });

  it("without a secret configured, webhooks are disabled (401)", async () => {
    const res = await post("{}", {}, { ...deps, config: testConfig() });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "webhooks_disabled" } });
  });
});
