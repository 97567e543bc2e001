// A person's way through World Digest in a real browser: subscribe, open the confirmation from the
// outbox, confirm, manage (add a country, switch to weekly), unsubscribe from an email's link, and the
// one-click POST a mail provider sends. Screenshots of each page land in test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import type { MailDrainer } from "../src/node/mail-drainer";
import { linkFor } from "../src/tokens";
import { findSubscriberByEmail, updateSubscriber } from "../db/queries/subscribers";
import { ingestPushedArticles } from "../src/ingest/push";
import { runTick } from "../src/digest/tick";
import type { Deps } from "../src/deps";
import type { TestDatabase } from "./helpers/db";
import { startServedApp, type ServedApp } from "./helpers/served-app";
import { launchBrowser, runBrowserTests, SCREENSHOTS } from "./helpers/browser";

let database: TestDatabase;
let served: ServedApp;
let browser: Browser;
let base = "";
let deps: Deps;
let drainer: MailDrainer;

/** The outbox page once an email with this subject is listed (it is sent just after the answer). */
async function openOutboxWith(page: Page, subject: string | RegExp) {
  await expect
    .poll(async () => {
      await page.goto(`${base}/dev/outbox`);
      return page.getByRole("link", { name: subject }).count();
    })
    .toBeGreaterThan(0);
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe.runIf(runBrowserTests)("in a real browser", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    served = await startServedApp();
    ({ database, base, deps, drainer } = served);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it("subscribe → confirm from the outbox → manage → unsubscribe, and one-click", async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, timezoneId: "America/Chicago" });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);

    await page.goto(`${base}/`);
    await expect.poll(() => page.locator("#timeZone").inputValue()).toBe("America/Chicago");
    await shot(page, "01-home");
    await page.getByLabel("Email address").fill("ana@example.com");
    await page.locator("summary", { hasText: "Americas" }).click();
    // The list's boxes (the map's countries are checkboxes with the same names: test/browser-map.test.ts).
    for (const code of ["JP", "BR", "SK"]) await page.locator(`input[name=countries][value=${code}]`).check();
    await page.getByLabel("Weekdays").check();
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.waitForSelector("text=Check your inbox");
    await shot(page, "02-check-inbox");

    await openOutboxWith(page, "Confirm your World Digest subscription");
    await shot(page, "03-outbox");
    await page.getByRole("link", { name: "Confirm your World Digest subscription" }).click();
    await page.waitForSelector("iframe.mail");
    await shot(page, "04-confirmation-email");
    const frame = page.frameLocator("iframe.mail");
    const confirmHref = await frame.getByRole("link", { name: "Confirm my subscription" }).getAttribute("href");
    expect(confirmHref).toMatch(new RegExp(`^${base}/confirm/`));

    await page.goto(confirmHref!);
    await shot(page, "05-confirm-page");
    expect((await findSubscriberByEmail(database.db, "ana@example.com"))?.status).toBe("pending");
    await page.getByRole("button", { name: "Confirm my subscription" }).click();
    await page.waitForSelector("text=You're subscribed");
    await shot(page, "06-confirmed");
    expect((await findSubscriberByEmail(database.db, "ana@example.com"))?.status).toBe("active");
    // No page reached from a link hands out the manage link (issue 15).
    expect(await page.locator('a[href*="/manage/"]').count()).toBe(0);

    // Lost the link? The subscribe form again: an already-subscribed address gets its manage link by email.
    await page.goto(`${base}/`);
    await page.getByLabel("Email address").fill("ana@example.com");
    await page.locator("input[name=countries][value=JP]").check();
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.waitForSelector("text=Check your inbox");
    await openOutboxWith(page, /^Your World Digest subscription$/);
    await page.getByRole("link", { name: /^Your World Digest subscription$/ }).click();
    await page.waitForSelector("iframe.mail");
    await shot(page, "06b-manage-link-email");
    const manageHref = await page.frameLocator("iframe.mail").getByRole("link", { name: "Manage my subscription" }).getAttribute("href");
    expect(manageHref).toMatch(new RegExp(`^${base}/manage/`));
    await page.goto(manageHref!);
    await page.waitForSelector("text=Your World Digest");
    // A link emailed on request: the whole address, export and erase.
    await page.waitForSelector("text=ana@example.com");
    expect(await page.getByRole("link", { name: "Export my data (JSON)" }).count()).toBe(1);
    await page.locator("summary", { hasText: "Africa" }).click();
    await page.locator("input[name=countries][value=KE]").check();
    await page.getByLabel("Once a week").check();
    await page.getByLabel("Day (weekly)").selectOption("6");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.waitForSelector("text=Your changes are saved.");
    await shot(page, "07-manage-saved");
    const changed = await findSubscriberByEmail(database.db, "ana@example.com");
    expect(changed?.countries).toEqual(["BR", "JP", "KE", "SK"]);
    expect(changed?.frequency).toBe("weekly");
    expect(changed?.weeklyDay).toBe(6);

    // Her first digest: stories from her countries, the edition due now, one tick of the real pipeline.
    const hourAgo = new Date(Date.now() - 3_600_000);
    await ingestPushedArticles(deps, [
      { url: "https://news.example.jp/a1", title: "Rural towns turn empty schools into night nurseries", summary: "Three towns reopened closed schools as overnight childcare.", originalTitle: "廃校を夜間保育所に", country: "JP", outlet: "Example Shimbun", language: "ja", publishedAt: hourAgo },
      { url: "https://news.example.br/b1", title: "Amazon river ferries get solar roofs", summary: "A cooperative fitted passenger boats with solar panels.", originalTitle: "Balsas solares na Amazônia", country: "BR", outlet: "Example Folha", language: "pt", publishedAt: hourAgo },
      { url: "https://news.example.ke/k1", title: "Nairobi opens its first cycle highway", summary: "A 12 km protected lane links the city centre to Westlands.", originalTitle: "Nairobi opens its first cycle highway", country: "KE", outlet: "Example Nation", language: "en", publishedAt: hourAgo },
    ]);
    await updateSubscriber(database.db, changed!.id, { nextSendAt: new Date(Date.now() - 60_000) }, new Date());
    const tick = await runTick(deps);
    expect(tick).toMatchObject({ sent: 1, failed: 0 });

    await page.goto(`${base}/dev/outbox`);
    await page.getByRole("link", { name: /overlooked stor/ }).click();
    await page.waitForSelector("iframe.mail");
    await shot(page, "08-digest-in-outbox");
    const digest = page.frameLocator("iframe.mail");
    await expect.poll(() => digest.getByRole("link", { name: "Amazon river ferries get solar roofs" }).count()).toBe(1);
    const viewHref = await digest.getByRole("link", { name: "View in browser" }).getAttribute("href");
    const digestManageHref = await digest.getByRole("link", { name: "Manage", exact: true }).getAttribute("href");
    await page.goto(viewHref!);
    await shot(page, "09-view-in-browser");
    expect(await page.locator('a[href*="/manage/"]').count()).toBe(0);
    // The digest's own manage link: settings, but the address partly hidden and export behind a fresh link.
    await page.goto(digestManageHref!);
    await page.waitForSelector("text=a•••@example.com");
    await shot(page, "09b-manage-from-digest");
    await page.goto(`${digestManageHref}/export`);
    await page.waitForSelector("text=This needs a fresh link");
    await shot(page, "09c-fresh-link-needed");
    await page.goBack();
    await page.goBack();
    const unsubscribeHref = await (async () => {
      await page.goBack();
      return page.frameLocator("iframe.mail").getByRole("link", { name: "Unsubscribe" }).getAttribute("href");
    })();
    expect(unsubscribeHref).toMatch(new RegExp(`^${base}/unsubscribe/`));
    await page.goto(unsubscribeHref!);
    await page.waitForSelector("text=Unsubscribe from World Digest?");
    await shot(page, "10-unsubscribe");
    await page.getByRole("button", { name: "Unsubscribe" }).click();
    await page.waitForSelector("text=You're unsubscribed");
    await shot(page, "11-unsubscribed");
    expect((await findSubscriberByEmail(database.db, "ana@example.com"))?.status).toBe("unsubscribed");

    // The home page on a phone, in a zone Node 20 spells differently (Asia/Katmandu).
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, timezoneId: "Asia/Kathmandu" });
    const mobile = await phone.newPage();
    await mobile.goto(`${base}/`);
    await expect.poll(() => mobile.locator("#timeZone").inputValue()).toMatch(/^Asia\/Kath?mandu$/);
    await shot(mobile, "12-home-phone");
    await phone.close();
    await context.close();
  });

  it("a mail provider's one-click POST unsubscribes with 200 and no redirect", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel("Email address").fill("kenji@example.com");
    await page.locator("input[name=countries][value=JP]").check();
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.waitForSelector("text=Check your inbox");
    await expect.poll(async () => (await deps.outbox!.list()).filter((m) => m.to === "kenji@example.com").length).toBe(1);
    const message = (await deps.outbox!.list()).find((m) => m.to === "kenji@example.com")!;
    await page.goto(`${base}/dev/outbox/${message.id}`);
    const confirmHref = await page.frameLocator("iframe.mail").getByRole("link", { name: "Confirm my subscription" }).getAttribute("href");
    await page.goto(confirmHref!);
    await page.getByRole("button", { name: "Confirm my subscription" }).click();
    await page.waitForSelector("text=You're subscribed");
    await context.close();
    // The List-Unsubscribe link of the digests she will get.
    const unsubscribeHref = new URL(linkFor(base, deps.config.appSecret, "unsubscribe", (await findSubscriberByEmail(database.db, "kenji@example.com"))!, new Date())).pathname;

    // What Gmail does: POST with the RFC 8058 body, no cookies, no Origin, no redirects followed.
    const res = await fetch(`${base}${unsubscribeHref}`, {
      method: "POST",
      body: "List-Unsubscribe=One-Click",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      redirect: "manual",
    });
    expect(res.status).toBe(200);
    expect((await findSubscriberByEmail(database.db, "kenji@example.com"))?.status).toBe("unsubscribed");
  });
});
