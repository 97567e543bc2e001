import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./helpers/app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const auth = { Authorization: "Bearer test-api-token-0123456789abcdef" };
const api = (path: string, init: RequestInit & { json?: unknown } = {}) =>
  t.app.request(`/api${path}`, {
    ...init,
    headers: { ...auth, ...(init.json !== undefined ? { "Content-Type": "application/json" } : {}), ...(init.headers as Record<string, string>) },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });

interface SubscriberBody {
  subscriber: { id: string; email: string; status: string; countries: string[]; frequency: string; nextSendAt: string | null };
}
interface ErrorJson {
  error: { code: string; message: string; fields?: Record<string, string> };
}

describe("news app API", () => {
  it("refuses calls without or with a wrong token, in JSON", async () => {
    for (const headers of [{}, { Authorization: "Bearer wrong" }, { Authorization: "Basic abc" }] as Array<Record<string, string>>) {
      const res = await t.app.request("/api/subscribers?email=a@example.com", { headers });
      expect(res.status).toBe(401);
      const body = (await res.json()) as ErrorJson;
      expect(body.error.code).toBe("unauthorized");
    }
  });

  it("creates an already-confirmed subscriber and reads it back", async () => {
    const res = await api("/subscribers", {
      method: "POST",
      json: { email: "app@example.com", countries: ["JP", "KE"], frequency: "daily", deliveryTime: "06:30", timeZone: "Asia/Tokyo", confirmed: true },
    });
    expect(res.status).toBe(201);
    const { subscriber } = (await res.json()) as SubscriberBody;
    expect(subscriber.status).toBe("active");
    expect(subscriber.nextSendAt).toBe("2026-03-02T21:30:00.000Z");
    expect(t.mailer.lastTo("app@example.com")).toBeUndefined();

    const read = (await (await api(`/subscribers/${subscriber.id}`)).json()) as SubscriberBody;
    expect(read.subscriber.email).toBe("app@example.com");
    const byEmail = (await (await api("/subscribers?email=APP@example.com")).json()) as SubscriberBody;
    expect(byEmail.subscriber.id).toBe(subscriber.id);
  });

  it("creates a pending subscriber and sends the confirmation when not confirmed", async () => {
    const res = await api("/subscribers", { method: "POST", json: { email: "pending-app@example.com", countries: ["BR"], timeZone: "America/Sao_Paulo" } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as SubscriberBody).subscriber.status).toBe("pending");
    await t.drain(); // sent after the answer
    expect(t.mailer.lastTo("pending-app@example.com")?.subject).toContain("Confirm");
  });

  it("answers invalid input with the fields that were wrong", async () => {
    const res = await api("/subscribers", { method: "POST", json: { email: "nope", countries: ["ZZ"], frequency: "yearly", timeZone: "X" } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorJson;
    expect(body.error.code).toBe("invalid_request");
    expect(Object.keys(body.error.fields ?? {}).sort()).toEqual(["countries", "email", "frequency", "timeZone"]);

    const notJson = await api("/subscribers", { method: "POST", body: "{", headers: { "Content-Type": "application/json" } });
    expect(notJson.status).toBe(400);
    const wrongType = await api("/subscribers", { method: "POST", body: "email=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(wrongType.status).toBe(415);
  });

  it("refuses a second subscriber with the same address (409)", async () => {
    const res = await api("/subscribers", { method: "POST", json: { email: "app@example.com", countries: ["JP"], timeZone: "UTC" } });
    expect(res.status).toBe(409);
  });

  it("updates preferences partially and unsubscribes", async () => {
    const { subscriber } = (await (await api("/subscribers?email=app@example.com")).json()) as SubscriberBody;
    const patched = await api(`/subscribers/${subscriber.id}`, { method: "PATCH", json: { frequency: "weekly", weeklyDay: 6 } });
    expect(patched.status).toBe(200);
    const after = ((await patched.json()) as SubscriberBody).subscriber;
    expect(after.frequency).toBe("weekly");
    expect(after.countries).toEqual(["JP", "KE"]);

    const bad = await api(`/subscribers/${subscriber.id}`, { method: "PATCH", json: { countries: [] } });
    expect(bad.status).toBe(400);

    const unsub = await api(`/subscribers/${subscriber.id}/unsubscribe`, { method: "POST" });
    expect(((await unsub.json()) as SubscriberBody).subscriber.status).toBe("unsubscribed");
  });

  it("answers 404 for unknown ids and routes, in JSON", async () => {
    const res = await api("/subscribers/00000000-0000-0000-0000-000000000000");
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorJson).error.code).toBe("not_found");
    const odd = await api("/subscribers/not-a-uuid");
    expect(odd.status).toBe(404);
  });
});
