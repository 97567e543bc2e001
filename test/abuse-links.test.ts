// Issue 15, findings 3 and 5: links can be ended, and no page hands out the manage link.
// Each scenario the issue saw is replayed through app.request() and must now fail for the stranger:
// an old unsubscribe link reactivating a reader with no email, an old confirmation link confirming a
// stranger's later request, an old manage link changing a reader who left, a stranger silently changing a
// pending subscription. And what a reader can do: end every old link, export and erase only with a link
// younger than a day (else a fresh one is emailed), unsubscribe and pause from any link however old.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSubscriberByEmail, type Subscriber } from "../db/queries/subscribers";
import { linkFor } from "../src/tokens";
import { createTestApp, pageText, pathOf, postForm, postFormFrom, type TestApp } from "./helpers/app";
import { linkIn } from "./helpers/memory-mailer";
import { runTick } from "../src/digest/tick";
import { seedStory } from "./helpers/digest-world";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ RATE_LIMIT_SUBSCRIBE_PER_HOUR: 100_000 });
});
afterAll(() => t.close());

const get = (email: string) => findSubscriberByEmail(t.deps.db, email);
/** A link as a digest carries it (no issue time: never "fresh"). */
const digestLink = (s: Pick<Subscriber, "id" | "tokenVersion">, purpose: "manage" | "unsubscribe" | "view", extra = "") =>
  pathOf(linkFor(t.deps.config.publicUrl, t.deps.config.appSecret, purpose, s, t.clock.now, extra));
const prefs = { countries: ["JP", "BR"], frequency: "daily", deliveryTime: "07:00", timeZone: "America/Chicago" };
const lastMail = (to: string) => t.mailer.lastTo(to);
const mailsTo = (to: string) => t.mailer.sent.filter((m) => m.to === to);

async function subscribe(email: string, fields: Record<string, string | string[]> = prefs, ip = "192.0.2.1") {
  const res = await postFormFrom(t, ip, "/subscribe", { email, ...fields });
  expect(res.status).toBe(200);
  await t.drain();
}

async function activeReader(email: string): Promise<Subscriber> {
  await subscribe(email);
  const confirm = linkIn(lastMail(email)!.text, "confirm")!;
  expect((await postForm(t, pathOf(confirm), {})).status).toBe(200);
  const s = (await get(email))!;
  expect(s.status).toBe("active");
  return s;
}

describe("the scenarios of the issue", () => {
  it("after a one-click unsubscribe, an old unsubscribe link's resubscribe does not make the reader active: it emails a confirmation, and only that confirms", async () => {
    const s = await activeReader("left@example.com");
    const unsubscribe = digestLink(s, "unsubscribe");
    const oneClick = await t.app.request(unsubscribe, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(oneClick.status).toBe(200);
    expect((await get("left@example.com"))!.status).toBe("unsubscribed");
    const before = mailsTo("left@example.com").length;

    const back = await postForm(t, `${unsubscribe}/resubscribe`, {});
    expect(back.status).toBe(200);
    expect(await pageText(back)).toContain("Check your inbox");
    expect((await get("left@example.com"))!.status).not.toBe("active");
    await t.drain();
    const mails = mailsTo("left@example.com");
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)!.subject).toMatch(/^Confirm/);
    expect((await postForm(t, pathOf(linkIn(mails.at(-1)!.text, "confirm")!), {})).status).toBe(200);
    const row = (await get("left@example.com"))!;
    expect(row.status).toBe("active");
    expect(row.countries).toEqual(["BR", "JP"]);
  });

  it("after the reader left, a stranger subscribes the address with other countries: the reader's old confirmation link no longer confirms, and the new email shows the stranger's settings", async () => {
    await subscribe("ana@example.com");
    const readersConfirm = pathOf(linkIn(lastMail("ana@example.com")!.text, "confirm")!);
    expect((await postForm(t, readersConfirm, {})).status).toBe(200);
    const ana = (await get("ana@example.com"))!;
    expect((await postForm(t, digestLink(ana, "unsubscribe"), {})).status).toBe(200);

    t.clock.advance(3 * 86_400_000);
    await subscribe("ana@example.com", { countries: ["CN", "RU"], frequency: "weekly", weeklyDay: "0", deliveryTime: "03:00", timeZone: "Pacific/Kiritimati" }, "203.0.113.66");
    const strangers = lastMail("ana@example.com")!;
    expect(strangers.subject).toMatch(/^Confirm/);
    expect(strangers.text).toContain("China");
    expect(strangers.text).toContain("Russia");

    const old = await postForm(t, readersConfirm, {});
    expect(old.status).toBe(400);
    expect(await pageText(old)).toContain("no longer works");
    expect((await get("ana@example.com"))!.status).toBe("pending");
    // The page of the new link shows what it confirms.
    const page = await pageText(await t.app.request(pathOf(linkIn(strangers.text, "confirm")!)));
    expect(page).toContain("China, Russia");
    expect(page).toContain("Kiritimati");
  });

  it("the manage link of a reader who left changes nothing any more", async () => {
    const s = await activeReader("gone@example.com");
    const manage = digestLink(s, "manage");
    expect((await postForm(t, digestLink(s, "unsubscribe"), {})).status).toBe(200);
    const res = await postForm(t, manage, { countries: ["DE"], frequency: "weekly", weeklyDay: "2", deliveryTime: "09:00", timeZone: "UTC" });
    expect(res.status).toBe(400);
    const row = (await get("gone@example.com"))!;
    expect(row.countries).toEqual(["BR", "JP"]);
    expect(row.frequency).toBe("daily");
    expect((await t.app.request(manage)).status).toBe(400);
  });

  it("a stranger cannot silently change a pending subscription (France, daily, 07:00 Paris, then China + Russia, weekly, 03:00 Kiritimati within 2 minutes)", async () => {
    await subscribe("reader@example.com", { countries: ["FR"], frequency: "daily", deliveryTime: "07:00", timeZone: "Europe/Paris" }, "192.0.2.10");
    const email = lastMail("reader@example.com")!;
    expect(email.text).toContain("France");
    t.clock.advance(60_000);
    await subscribe("reader@example.com", { countries: ["CN", "RU"], frequency: "weekly", weeklyDay: "3", deliveryTime: "03:00", timeZone: "Pacific/Kiritimati" }, "203.0.113.99");
    // No second email, and nothing changed behind the reader's back.
    expect(mailsTo("reader@example.com")).toHaveLength(1);
    const pending = (await get("reader@example.com"))!;
    expect(pending.countries).toEqual(["FR"]);
    expect(pending.timeZone).toBe("Europe/Paris");

    expect((await postForm(t, pathOf(linkIn(email.text, "confirm")!), {})).status).toBe(200);
    const row = (await get("reader@example.com"))!;
    expect(row.status).toBe("active");
    expect(row.countries).toEqual(["FR"]);
    expect(row.frequency).toBe("daily");
    expect(row.deliveryTime).toBe("07:00");
    expect(row.timeZone).toBe("Europe/Paris");
  });

  it("after 2 minutes a stranger's new request for a pending address ends the reader's link and sends its own email, which shows the stranger's settings", async () => {
    await subscribe("slow@example.com", { countries: ["FR"], frequency: "daily", deliveryTime: "07:00", timeZone: "Europe/Paris" });
    const first = pathOf(linkIn(lastMail("slow@example.com")!.text, "confirm")!);
    t.clock.advance(3 * 60_000);
    await subscribe("slow@example.com", { countries: ["CN"], frequency: "daily", deliveryTime: "03:00", timeZone: "Pacific/Kiritimati" }, "203.0.113.5");
    const second = lastMail("slow@example.com")!;
    expect(mailsTo("slow@example.com")).toHaveLength(2);
    expect(second.text).toContain("China");
    expect((await postForm(t, first, {})).status).toBe(400);
    expect((await get("slow@example.com"))!.status).toBe("pending");
  });
});

describe("ending links", () => {
  it("'send me a fresh link' on the manage page ends every old link (manage, unsubscribe, view) and emails one that works", async () => {
    const s = await activeReader("fresh@example.com");
    const old = { manage: digestLink(s, "manage"), unsubscribe: digestLink(s, "unsubscribe"), view: digestLink(s, "view", "2026-03-02") };
    const res = await postForm(t, `${old.manage}/fresh-link`, {});
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("We emailed you a fresh link");
    for (const path of Object.values(old)) expect((await t.app.request(path)).status, path).toBeGreaterThanOrEqual(400);
    expect((await postForm(t, old.unsubscribe, {})).status).toBe(400);
    expect((await get("fresh@example.com"))!.status).toBe("active");
    await t.drain();
    const mail = lastMail("fresh@example.com")!;
    const fresh = pathOf(linkIn(mail.text, "manage")!);
    const page = await t.app.request(fresh);
    expect(page.status).toBe(200);
    expect(await pageText(page)).toContain("fresh@example.com");
  });

  it("unsubscribing and resubscribing each end the links issued before", async () => {
    const s = await activeReader("cycle@example.com");
    const first = { manage: digestLink(s, "manage"), unsubscribe: digestLink(s, "unsubscribe") };
    expect((await postForm(t, first.unsubscribe, {})).status).toBe(200);
    const afterLeaving = (await get("cycle@example.com"))!;
    expect(afterLeaving.tokenVersion).toBeGreaterThan(s.tokenVersion);
    expect((await t.app.request(first.manage)).status).toBe(400);
    // The unsubscribe link still answers (one-click may be retried), and still offers to come back.
    const again = await t.app.request(first.unsubscribe);
    expect(again.status).toBe(200);
    expect(await pageText(again)).toContain("You're unsubscribed");

    expect((await postForm(t, `${first.unsubscribe}/resubscribe`, {})).status).toBe(200);
    await t.drain();
    const resubscribing = (await get("cycle@example.com"))!;
    expect(resubscribing.tokenVersion).toBeGreaterThan(afterLeaving.tokenVersion);
    expect((await postForm(t, pathOf(linkIn(lastMail("cycle@example.com")!.text, "confirm")!), {})).status).toBe(200);
    const back = (await get("cycle@example.com"))!;
    expect(back.status).toBe("active");
    // The first subscription's links do not come back to life with the second.
    expect((await t.app.request(first.manage)).status).toBe(400);
    expect((await postForm(t, first.unsubscribe, {})).status).toBe(400);
    expect((await get("cycle@example.com"))!.status).toBe("active");
  });

  it("a request never confirmed by someone who had left puts them back as they were once its link expires", async () => {
    const s = await activeReader("history@example.com");
    expect((await postForm(t, digestLink(s, "unsubscribe"), {})).status).toBe(200);
    await subscribe("history@example.com", { countries: ["CN"], frequency: "daily", deliveryTime: "03:00", timeZone: "UTC" }, "203.0.113.7");
    expect((await get("history@example.com"))!.status).toBe("pending");
    t.clock.advance(8 * 86_400_000);
    await t.drain();
    const row = (await get("history@example.com"))!;
    expect(row.status).toBe("unsubscribed");
    expect(row.unsubscribedAt).not.toBeNull();
  });
});

describe("what an old link can and cannot do", () => {
  it("export, erase and the full address need a link younger than a day; an older one gets 'we emailed you a fresh link'", async () => {
    const s = await activeReader("owner@example.com");
    const old = digestLink(s, "manage");

    const page = await pageText(await t.app.request(old));
    expect(page).not.toContain("owner@example.com");
    expect(page).toContain("o•••@example.com");
    const exported = await t.app.request(`${old}/export`);
    expect(exported.status).toBe(403);
    expect(exported.headers.get("content-type")).toMatch(/text\/html/);
    expect(await pageText(exported)).toContain("fresh link");
    expect((await t.app.request(`${old}/delete`)).status).toBe(403);

    const erase = await postForm(t, `${old}/delete`, { confirm: "yes" });
    expect(erase.status).toBe(200);
    expect(await pageText(erase)).toContain("We emailed you a fresh link");
    expect(await get("owner@example.com")).toBeDefined();
    await t.drain();
    const fresh = pathOf(linkIn(lastMail("owner@example.com")!.text, "manage")!);

    expect(await pageText(await t.app.request(fresh))).toContain("owner@example.com");
    const data = await t.app.request(`${fresh}/export`);
    expect(data.status).toBe(200);
    expect(((await data.json()) as { subscriber: { email: string } }).subscriber.email).toBe("owner@example.com");

    // A day later the same link no longer exports, though it still manages.
    t.clock.advance(24 * 3600_000 + 60_000);
    expect((await t.app.request(`${fresh}/export`)).status).toBe(403);
    expect((await t.app.request(fresh)).status).toBe(200);
    t.clock.advance(-(24 * 3600_000 + 60_000));

    expect((await postForm(t, `${fresh}/delete`, { confirm: "yes" })).status).toBe(200);
    expect(await get("owner@example.com")).toBeUndefined();
  });

  it("unsubscribe and pause work from any link, however old", async () => {
    const a = await activeReader("old-pause@example.com");
    const b = await activeReader("old-leave@example.com");
    const pause = `${digestLink(a, "manage")}/pause`;
    const leave = digestLink(b, "unsubscribe");
    t.clock.advance(400 * 86_400_000);
    expect((await postForm(t, pause, {})).status).toBe(303);
    expect((await get("old-pause@example.com"))!.status).toBe("paused");
    const res = await t.app.request(leave, { method: "POST", body: "List-Unsubscribe=One-Click", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(200);
    expect((await get("old-leave@example.com"))!.status).toBe("unsubscribed");
    t.clock.advance(-400 * 86_400_000);
  });

  it("the unsubscribe page offers to pause instead, from the same link", async () => {
    const s = await activeReader("pause-instead@example.com");
    const page = await pageText(await t.app.request(digestLink(s, "unsubscribe")));
    expect(page).toContain("Pause instead");
    expect((await postForm(t, `${digestLink(s, "unsubscribe")}/pause`, {})).status).toBe(200);
    expect((await get("pause-instead@example.com"))!.status).toBe("paused");
  });
});

describe("no page hands out the manage link", () => {
  it("the unsubscribe page, the confirm pages and the resubscribe page carry no manage link", async () => {
    await subscribe("pages@example.com");
    const confirm = pathOf(linkIn(lastMail("pages@example.com")!.text, "confirm")!);
    const confirmed = await postForm(t, confirm, {});
    const s = (await get("pages@example.com"))!;
    const pages = [await confirmed.text(), await (await t.app.request(confirm)).text(), await (await t.app.request(digestLink(s, "unsubscribe"))).text()];
    const left = await postForm(t, digestLink(s, "unsubscribe"), {});
    pages.push(await left.text());
    pages.push(await (await postForm(t, `${digestLink(s, "unsubscribe")}/resubscribe`, {})).text());
    for (const html of pages) expect(html).not.toMatch(/\/manage\//);
  });

  it("the view-in-browser page shows the edition without the manage link", async () => {
    t.clock.set("2026-03-20T11:00:00Z");
    const s = await activeReader("viewer@example.com");
    await seedStory(t.deps.db, { title: "Osaka opens a floating library", articles: [{ country: "JP", publishedAt: new Date("2026-03-20T08:00:00Z") }, { country: "BR", publishedAt: new Date("2026-03-20T09:00:00Z") }] });
    t.clock.set("2026-03-20T12:05:00Z");
    await runTick({ ...t.deps });
    const digest = lastMail("viewer@example.com")!;
    expect(digest.subject).not.toMatch(/^Confirm/);
    expect(linkIn(digest.html, "manage")).toBeDefined();
    const view = await t.app.request(pathOf(linkIn(digest.html, "view")!));
    expect(view.status).toBe(200);
    const html = await view.text();
    expect(html).toContain("Osaka opens a floating library");
    expect(html).not.toMatch(/\/manage\//);
    // Its "Manage" leads to a page saying where the reader's own link is.
    expect(html).toContain(`href="${t.deps.config.publicUrl}/manage"`);
    const help = await t.app.request("/manage");
    expect(help.status).toBe(200);
    expect(await pageText(help)).toContain("Every digest we send you has a Manage link");
    expect(s.id).toBeDefined();
  });
});
