// A person's way through World Digest in a real browser: subscribe, open the confirmation from the
// outbox, confirm, manage (add a country, switch to weekly), unsubscribe from an email's link, and the
// one-click POST a mail provider sends. Screenshots of each page land in test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { createApp } from "../src/app";
import { testConfig } from "../src/config";
import { silentLogger } from "../src/log";
import { createOutboxMailer } from "../src/mail/outbox-mailer";
import { findSubscriberByEmail, updateSubscriber } from "../db/queries/subscribers";
import { ingestPushedArticles } from "../src/ingest/push";
import { runTick } from "../src/digest/tick";
import type { Deps } from "../src/deps";
import { createTestDatabase, type TestDatabase } from "./helpers/db";
import { seedSources } from "../src/ingest/seed-sources";
import { readSourceCatalog } from "../src/feeds/source-catalog";
import { launchBrowser, runBrowserTests, SCREENSHOTS } from "./helpers/browser";

let database: TestDatabase;
let server: ServerType;
let browser: Browser;
let base = "";
let deps: Deps;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe.runIf(runBrowserTests)("in a real browser", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    database = await createTestDatabase();
    const outbox = createOutboxMailer(mkdtempSync(join(tmpdir(), "wd-outbox-")));
    // Listen first, so PUBLIC_URL (links in emails) can name the real port.
    let app: ReturnType<typeof createApp> | undefined;
    server = serve({ fetch: (req) => app!.fetch(req), port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    deps = {
      db: database.db,
      dbKind: database.kind,
      config: testConfig({ publicUrl: base, SEND_RATE_PER_SECOND: 100 }),
      clock: () => new Date(),
      mailer: outbox,
      log: silentLogger,
      outbox,
    };
    app = createApp(deps);
    // The outlet catalog, as start-up seeds it: the form lists the countries it has outlets in.
    await seedSources(database.db, readSourceCatalog());
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await database?.drop();
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

    await page.goto(`${base}/dev/outbox`);
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

    await page.getByRole("link", { name: "Manage my subscription" }).click();
    await page.waitForSelector("text=Your World Digest");
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
    await page.goto(viewHref!);
    await shot(page, "09-view-in-browser");
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
    await page.goto(`${base}/dev/outbox`);
    await page.getByRole("link", { name: "Confirm your World Digest subscription" }).first().click();
    const confirmHref = await page.frameLocator("iframe.mail").getByRole("link", { name: "Confirm my subscription" }).getAttribute("href");
    await page.goto(confirmHref!);
    await page.getByRole("button", { name: "Confirm my subscription" }).click();
    await page.waitForSelector("text=You're subscribed");
    await page.getByRole("link", { name: "Manage my subscription" }).click();
    const unsubscribeHref = await page.getByRole("link", { name: "Unsubscribe" }).getAttribute("href");
    await context.close();

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
