import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, ORIGIN, pageText, pathOf, postForm, type TestApp } from "./helpers/app";
import { linkIn } from "./helpers/memory-mailer";
import { findSubscriberByEmail } from "../db/queries/subscribers";
import { createToken } from "../src/tokens";
import { seedSources } from "../src/ingest/seed-sources";
import { readSourceCatalog } from "../src/feeds/source-catalog";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // The outlet catalog, as start-up seeds it: the form lists the countries it has outlets in.
  await seedSources(t.deps.db, readSourceCatalog());
});
afterAll(() => t.close());

const form = (email: string, extra: Record<string, string | string[]> = {}) => ({
  email,
  countries: ["JP", "BR", "SK"],
  frequency: "weekdays",
  deliveryTime: "07:00",
  timeZone: "America/Chicago",
  ...extra,
});

const subscriber = (email: string) => findSubscriberByEmail(t.deps.db, email);

async function subscribeAndConfirm(email: string) {
  const res = await postForm(t, "/subscribe", form(email));
  expect(res.status).toBe(200);
  await t.drain();
  const confirmUrl = linkIn(t.mailer.lastTo(email)!.text, "confirm")!;
  const confirmed = await postForm(t, pathOf(confirmUrl), {});
  expect(confirmed.status).toBe(200);
  return (await subscriber(email))!;
}

describe("home page", () => {
  it("shows the subscribe form with countries grouped by region and a strict CSP", async () => {
    const res = await t.app.request("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/subscribe"');
    expect(html).toContain("<summary>Africa");
    expect(html).toContain('value="JP"');
    expect(html).toContain("<option>America/Chicago</option>");
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
  });
});

describe("subscribing", () => {
  it("re-renders the form with the person's values and a message per field (400)", async () => {
    const res = await postForm(t, "/subscribe", { email: "not-an-address", countries: ["XX"], frequency: "hourly", deliveryTime: "25:00", timeZone: "Mars/Olympus" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('value="not-an-address"');
    expect(html).toContain("Enter an email address like name@example.com.");
    expect(html).toContain("One of the countries is not one we cover.");
    expect(html).toContain("Choose daily, weekdays or weekly.");
    expect(html).toContain("Choose a time like 07:00.");
    expect(html).toContain("Choose your time zone");
  });

  it("asks for at least one country and keeps the rest of the input", async () => {
    const res = await postForm(t, "/subscribe", { email: "ana@example.com", frequency: "weekly", weeklyDay: "6", timeZone: "America/Chicago" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Choose at least one country.");
    expect(html).toContain('value="ana@example.com"');
    expect(html).toMatch(/<option value="6" selected="">Saturday/);
    expect(await subscriber("ana@example.com")).toBeUndefined();
  });

  it("stores a pending subscriber and emails a confirmation link; opening it confirms nothing", async () => {
    const res = await postForm(t, "/subscribe", form("Ana@Example.com "));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Check your inbox");
    // The request is decided and mailed after the answer (the job runner drains the queue right away).
    expect(await subscriber("ana@example.com")).toBeUndefined();
    await t.drain();
    const row = await subscriber("ana@example.com");
    expect(row?.status).toBe("pending");
    expect(row?.countries).toEqual(["BR", "JP", "SK"]);
    const mail = t.mailer.lastTo("ana@example.com")!;
    expect(mail.subject).toBe("Confirm your World Digest subscription");
    const confirmUrl = linkIn(mail.html, "confirm")!;
    expect(confirmUrl.startsWith(`${ORIGIN}/confirm/`)).toBe(true);
    expect(mail.text).toContain(confirmUrl);

    // A mail scanner GETs the link (and HEADs it): still pending.
    const page = await t.app.request(pathOf(confirmUrl));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Confirm my subscription");
    await t.app.request(pathOf(confirmUrl), { method: "HEAD" });
    expect((await subscriber("ana@example.com"))?.status).toBe("pending");

    const confirmed = await postForm(t, pathOf(confirmUrl), {});
    expect(confirmed.status).toBe(200);
    expect(await pageText(confirmed)).toContain("You're subscribed");
    const active = await subscriber("ana@example.com");
    expect(active?.status).toBe("active");
    // Next weekday at 07:00 in Chicago after Monday 2026-03-02 12:00 UTC (06:00 CST) is the same day 07:00 CST.
    expect(active?.nextSendAt?.toISOString()).toBe("2026-03-02T13:00:00.000Z");
  });

  it("answers the same for new, pending, active and unsubscribed addresses (no enumeration)", async () => {
    await subscribeAndConfirm("active@example.com");
    await postForm(t, "/subscribe", form("pending@example.com"));
    await t.drain();
    const gone = await subscribeAndConfirm("gone@example.com");
    await postForm(t, pathOf(`${ORIGIN}/unsubscribe/${createToken(t.deps.config.appSecret, { purpose: "unsubscribe", subscriberId: gone.id, version: gone.tokenVersion, expiresAt: 0 })}`), {});
    expect((await subscriber("gone@example.com"))?.status).toBe("unsubscribed");

    const bodies = new Set<string>();
    const statuses = new Set<number>();
    for (const email of ["new@example.com", "pending@example.com", "active@example.com", "gone@example.com"]) {
      const res = await postForm(t, "/subscribe", form(email));
      statuses.add(res.status);
      bodies.add((await res.text()).replace(/name="[^"]*"/g, ""));
    }
    expect(statuses).toEqual(new Set([200]));
    expect(bodies.size).toBe(1);
    await t.drain();
    // The active subscriber was sent a manage link, not a second subscription.
    const mail = t.mailer.lastTo("active@example.com")!;
    expect(mail.subject).toBe("Your World Digest subscription");
    expect(linkIn(mail.text, "manage")).toBeDefined();
    expect((await subscriber("active@example.com"))?.status).toBe("active");
    // The unsubscribed one is pending again, with a fresh confirmation.
    expect((await subscriber("gone@example.com"))?.status).toBe("pending");
  });

  it("does not resend a confirmation to a pending address within two minutes", async () => {
    await postForm(t, "/subscribe", form("twice@example.com"));
    await t.drain();
    await postForm(t, "/subscribe", form("twice@example.com"));
    await t.drain();
    expect(t.mailer.sent.filter((m) => m.to === "twice@example.com")).toHaveLength(1);
    t.clock.advance(3 * 60_000);
    await postForm(t, "/subscribe", form("twice@example.com"));
    await t.drain();
    expect(t.mailer.sent.filter((m) => m.to === "twice@example.com")).toHaveLength(2);
  });
});

describe("tokens", () => {
  it("shows a clear page with a way forward for tampered, expired and cross-purpose links", async () => {
    await postForm(t, "/subscribe", form("expiry@example.com"));
    await t.drain();
    const confirmUrl = linkIn(t.mailer.lastTo("expiry@example.com")!.text, "confirm")!;
    const path = pathOf(confirmUrl);

    const tampered = await t.app.request(path.slice(0, -2) + (path.endsWith("AA") ? "BB" : "AA"));
    expect(tampered.status).toBe(400);
    expect(await pageText(tampered)).toContain("This link isn't valid");

    const truncated = await t.app.request(path.slice(0, 30));
    expect(truncated.status).toBe(400);

    const row = (await subscriber("expiry@example.com"))!;
    const manageToken = createToken(t.deps.config.appSecret, { purpose: "manage", subscriberId: row.id, version: row.tokenVersion, expiresAt: 0 });
    const crossPurpose = await postForm(t, `/confirm/${manageToken}`, {});
    expect(crossPurpose.status).toBe(400);
    expect((await subscriber("expiry@example.com"))?.status).toBe("pending");

    t.clock.advance(8 * 24 * 3600_000);
    const expired = await postForm(t, path, {});
    expect(expired.status).toBe(400);
    const html = await expired.text();
    expect(html).toContain("expired");
    expect(html).toContain('href="/#subscribe"');
    expect((await subscriber("expiry@example.com"))?.status).toBe("pending");
  });
});

describe("CSRF", () => {
  it("refuses form posts from another origin or without an origin, and changes nothing", async () => {
    const evil = await postForm(t, "/subscribe", form("csrf@example.com"), { Origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    const none = await t.app.request("/subscribe", {
      method: "POST",
      body: new URLSearchParams({ email: "csrf@example.com", countries: "JP", timeZone: "UTC" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(none.status).toBe(403);
    expect(await none.text()).toContain("Please send the form again");
    expect(await subscriber("csrf@example.com")).toBeUndefined();
  });
});
