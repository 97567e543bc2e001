import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, pageText, pathOf, postForm, postFormFrom, type TestApp } from "./helpers/app";
import { linkIn } from "./helpers/memory-mailer";
import { findSubscriberByEmail, type Subscriber } from "../db/queries/subscribers";
import { freshManageLink, linkFor } from "../src/tokens";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const get = (email: string) => findSubscriberByEmail(t.deps.db, email);
/** A link as digests carry it. */
const link = (s: Subscriber, purpose: "manage" | "unsubscribe") =>
  pathOf(linkFor(t.deps.config.publicUrl, t.deps.config.appSecret, purpose, s, t.clock.now));
/** A manage link as the email sent on request carries it: it also exports and erases, for a day. */
const freshLink = (s: Subscriber) => pathOf(freshManageLink(t.deps.config.publicUrl, t.deps.config.appSecret, s, t.clock.now));

async function activeSubscriber(email: string): Promise<Subscriber> {
  await postForm(t, "/subscribe", { email, countries: ["JP", "BR", "SK"], frequency: "weekdays", deliveryTime: "07:00", timeZone: "America/Chicago" });
  await t.drain();
  await postForm(t, pathOf(linkIn(t.mailer.lastTo(email)!.text, "confirm")!), {});
  const s = await get(email);
  expect(s?.status).toBe("active");
  return s!;
}

describe("manage page", () => {
  it("shows the preferences and changes them (add Kenya, weekly on Saturday)", async () => {
    const s = await activeSubscriber("ana@example.com");
    const path = link(s, "manage");
    const page = await t.app.request(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    // A digest's link shows the address partly hidden; the link emailed on request shows it whole.
    expect(html).not.toContain("ana@example.com");
    expect(html).toContain("a•••@example.com");
    expect(await (await t.app.request(freshLink(s))).text()).toContain("ana@example.com");
    expect(html).toContain("Brazil, Japan, Slovakia");
    expect(html).toMatch(/value="JP" checked=""/);

    const res = await postForm(t, path, { countries: ["JP", "BR", "SK", "KE"], frequency: "weekly", weeklyDay: "6", deliveryTime: "07:00", timeZone: "America/Chicago" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${path}?done=saved`);
    const after = (await get("ana@example.com"))!;
    expect(after.countries).toEqual(["BR", "JP", "KE", "SK"]);
    expect(after.frequency).toBe("weekly");
    expect(after.weeklyDay).toBe(6);
    // Monday 2026-03-02 → Saturday 2026-03-07 07:00 CST.
    expect(after.nextSendAt?.toISOString()).toBe("2026-03-07T13:00:00.000Z");
    expect(await pageText(await t.app.request(`${path}?done=saved`))).toContain("Your changes are saved.");
  });

  it("refuses invalid changes with messages and changes nothing", async () => {
    const s = (await get("ana@example.com"))!;
    const res = await postForm(t, link(s, "manage"), { countries: [], frequency: "weekly", weeklyDay: "9", deliveryTime: "7am", timeZone: "Nowhere/City" });
    expect(res.status).toBe(400);
    const html = await pageText(res);
    expect(html).toContain("Nothing was changed.");
    expect(html).toContain("Choose at least one country.");
    expect(html).toContain("Choose a day of the week.");
    expect((await get("ana@example.com"))!.countries).toEqual(["BR", "JP", "KE", "SK"]);
  });

  it("pauses and resumes", async () => {
    const s = (await get("ana@example.com"))!;
    const path = link(s, "manage");
    expect((await postForm(t, `${path}/pause`, {})).status).toBe(303);
    let row = (await get("ana@example.com"))!;
    expect(row.status).toBe("paused");
    expect(row.nextSendAt).toBeNull();
    expect((await postForm(t, `${path}/resume`, {})).status).toBe(303);
    row = (await get("ana@example.com"))!;
    expect(row.status).toBe("active");
    expect(row.nextSendAt).not.toBeNull();
  });

  it("exports the subscriber's data as a JSON download", async () => {
    const s = (await get("ana@example.com"))!;
    const res = await t.app.request(`${freshLink(s)}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const data = (await res.json()) as { subscriber: { email: string; countries: string[] }; deliveries: unknown[] };
    expect(data.subscriber.email).toBe("ana@example.com");
    expect(data.subscriber.countries).toContain("KE");
    expect(Array.isArray(data.deliveries)).toBe(true);
  });

  it("erases everything only after the confirm step, and the old links stop working", async () => {
    const s = await activeSubscriber("erase@example.com");
    const path = freshLink(s);
    const ask = await t.app.request(`${path}/delete`);
    expect(ask.status).toBe(200);
    expect(await pageText(ask)).toContain("Yes, delete everything");
    expect(await get("erase@example.com")).toBeDefined();

    const noConfirm = await postForm(t, `${path}/delete`, {});
    expect(noConfirm.status).toBe(303);
    expect(await get("erase@example.com")).toBeDefined();

    const done = await postForm(t, `${path}/delete`, { confirm: "yes" });
    expect(done.status).toBe(200);
    expect(await get("erase@example.com")).toBeUndefined();
    const after = await t.app.request(path);
    expect(after.status).toBe(400);
    expect(await pageText(after)).toContain("no longer works");
  });
});

describe("unsubscribing", () => {
  it("GET only shows the button; POST unsubscribes and offers to resubscribe", async () => {
    const s = await activeSubscriber("leave@example.com");
    const path = link(s, "unsubscribe");
    const page = await t.app.request(path);
    expect(page.status).toBe(200);
    const html = await pageText(page);
    expect(html).toContain(">Unsubscribe</button>");
    expect(html).toContain("Pause instead");
    expect((await get("leave@example.com"))!.status).toBe("active");

    const res = await postForm(t, path, {});
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("Resubscribe");
    expect((await get("leave@example.com"))!.status).toBe("unsubscribed");
    // Leaving ends the subscription's links: the manage link no longer opens anything.
    expect((await t.app.request(link(s, "manage"))).status).toBe(400);

    // Coming back is confirmed from the mailbox, not turned on by the link.
    const back = await postForm(t, `${path}/resubscribe`, {});
    expect(back.status).toBe(200);
    expect(await pageText(back)).toContain("Check your inbox");
    expect((await get("leave@example.com"))!.status).toBe("unsubscribed");
    await t.drain();
    expect((await postForm(t, pathOf(linkIn(t.mailer.lastTo("leave@example.com")!.text, "confirm")!), {})).status).toBe(200);
    const row = (await get("leave@example.com"))!;
    expect(row.status).toBe("active");
    expect(row.nextSendAt).not.toBeNull();
  });

  it("accepts the RFC 8058 one-click POST (urlencoded, no cookies, no Origin) with 200 and no redirect", async () => {
    const s = await activeSubscriber("oneclick@example.com");
    const res = await t.app.request(link(s, "unsubscribe"), {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("location")).toBeNull();
    expect((await get("oneclick@example.com"))!.status).toBe("unsubscribed");
  });

  it("accepts the one-click POST as multipart/form-data too", async () => {
    const s = await activeSubscriber("multipart@example.com");
    const body = new FormData();
    body.set("List-Unsubscribe", "One-Click");
    const res = await t.app.request(link(s, "unsubscribe"), { method: "POST", body });
    expect(res.status).toBe(200);
    expect((await get("multipart@example.com"))!.status).toBe("unsubscribed");
  });

  it("a resubscribe from another site is refused (CSRF), while one-click stays open", async () => {
    const s = (await get("oneclick@example.com"))!;
    const res = await postForm(t, `${link(s, "unsubscribe")}/resubscribe`, {}, { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect((await get("oneclick@example.com"))!.status).toBe("unsubscribed");
  });

  it("another subscriber's token only ever touches that subscriber", async () => {
    const a = await activeSubscriber("a@example.com");
    const b = await activeSubscriber("b@example.com");
    await postForm(t, link(a, "unsubscribe"), {});
    expect((await get("a@example.com"))!.status).toBe("unsubscribed");
    expect((await get("b@example.com"))!.status).toBe("active");
    expect(b.id).not.toBe(a.id);
  });
});

describe("health and limits", () => {
  it("reports the database as reachable", async () => {
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "reachable" });
  });

  it("refuses oversized form bodies with 413", async () => {
    const res = await postForm(t, "/subscribe", { email: "x".repeat(70 * 1024) });
    expect(res.status).toBe(413);
  });

  it("answers an unknown page with a 404 page", async () => {
    const res = await t.app.request("/nope");
    expect(res.status).toBe(404);
    expect(await pageText(res)).toContain("Page not found");
  });

  it("limits subscribe attempts per IP (kept in the database)", async () => {
    const limited = await createTestApp({ RATE_LIMIT_SUBSCRIBE_PER_HOUR: 3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await postFormFrom(limited, "203.0.113.9", "/subscribe", { email: `r${i}@example.com`, countries: "JP", timeZone: "UTC" });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const other = await postFormFrom(limited, "203.0.113.10", "/subscribe", { email: "other@example.com", countries: "JP", timeZone: "UTC" });
      expect(other.status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
