// The world map and the country pages in a real browser: tick Kenya by clicking the map and Japan with the
// keyboard, subscribe, and find both in the confirmation email; open a country page from the map; zoom on
// a phone and tap a small country; run axe-core on the home, manage and a country page at desktop and
// phone sizes; measure what the page with the map weighs. Screenshots land in test-results/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { MailDrainer } from "../src/node/mail-drainer";
import { findSubscriberByEmail, insertSubscriber } from "../db/queries/subscribers";
import { ingestPushedArticles } from "../src/ingest/push";
import { linkFor } from "../src/tokens";
import type { Deps } from "../src/deps";
import type { PushedArticle } from "../src/ingest/pushed-article";
import type { TestDatabase } from "./helpers/db";
import { startServedApp, type ServedApp } from "./helpers/served-app";
import { launchBrowser, runBrowserTests, SCREENSHOTS } from "./helpers/browser";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const DESKTOP = { width: 1100, height: 900 };
const PHONE = { width: 390, height: 844 };

let database: TestDatabase;
let served: ServedApp;
let browser: Browser;
let base = "";
let deps: Deps;
let drainer: MailDrainer;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The map has loaded and is wired to the form's checkboxes. */
async function mapReady(page: Page) {
  await page.locator(".map-canvas svg [role=checkbox]").first().waitFor();
}

/** The country list's own checkbox (the map's countries are checkboxes too, with the same names). */
const listBox = (page: Page, code: string) => page.locator(`input[name=countries][value=${code}]`);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const { violations, passes } = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: unknown[]; passes: unknown[] }> } }).axe;
    const result = await axe.run();
    return { violations: result.violations, passes: result.passes.length };
  })) as { violations: AxeViolation[]; passes: number };
  // axe ran its rules on the page (an empty answer from a script that never loaded would pass too).
  expect(passes).toBeGreaterThan(10);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")})`);
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
const pushed = (a: Partial<PushedArticle> & Pick<PushedArticle, "url" | "title" | "country" | "outlet">): PushedArticle => ({
  summary: "",
  originalTitle: a.title,
  language: "en",
  publishedAt: hoursAgo(3),
  ...a,
});

describe.runIf(runBrowserTests)("the world map and country pages in a real browser", { timeout: 180_000 }, () => {
  beforeAll(async () => {
    served = await startServedApp();
    ({ database, base, deps, drainer } = served);
    // A morning's news through the real push path.
    await ingestPushedArticles(deps, [
      pushed({
        url: "https://nation.example/climate-finance",
        title: "Nairobi summit agrees African climate finance fund for drought-hit farmers",
        summary: "Leaders meeting in Nairobi agreed a fund to insure smallholder farmers against drought, financed by a levy on carbon credits.",
        originalTitle: "Mkutano wa Nairobi wakubaliana mfuko wa fedha za tabianchi",
        country: "KE",
        outlet: "Example Nation",
        language: "sw",
        publishedAt: hoursAgo(6),
      }),
      pushed({
        url: "https://punch.example/climate-fund",
        title: "African climate finance fund agreed at Nairobi summit for drought-hit farmers",
        summary: "The Nairobi summit agreed a climate finance fund to insure farmers against drought through a carbon credit levy.",
        country: "NG",
        outlet: "Example Punch",
        publishedAt: hoursAgo(5),
      }),
      pushed({
        url: "https://guardian.example/nairobi-fund",
        title: "Nairobi summit agrees climate finance fund for African drought-hit farmers",
        summary: "A fund agreed at the Nairobi summit will insure drought-hit farmers, financed by a levy on carbon credits.",
        country: "GB",
        outlet: "Example Guardian",
        publishedAt: hoursAgo(4),
      }),
      pushed({
        url: "https://nation.example/cycle-highway",
        title: "Nairobi opens its first cycle highway",
        summary: "A 12 km protected lane links the city centre to Westlands.",
        country: "KE",
        outlet: "Example Nation",
        publishedAt: hoursAgo(2),
      }),
      pushed({
        url: "https://taifa.example/mombasa-port",
        title: "Mombasa port clears its container backlog in record time",
        summary: "New night shifts and a rail link cut the waiting time for ships from nine days to two.",
        originalTitle: "Bandari ya Mombasa yamaliza mrundikano wa makontena",
        country: "KE",
        outlet: "Example Taifa",
        language: "sw",
        publishedAt: hoursAgo(8),
      }),
      pushed({
        url: "https://shimbun.example/night-nurseries",
        title: "Rural towns turn empty schools into night nurseries",
        summary: "Three towns reopened closed schools as overnight childcare for nurses and factory workers.",
        originalTitle: "廃校を夜間保育所に",
        country: "JP",
        outlet: "Example Shimbun",
        language: "ja",
      }),
    ]);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  it("ticks Kenya by a click on the map and Japan by keyboard, and the confirmation email names both", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, timezoneId: "Africa/Nairobi" });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/`);
    await mapReady(page);

    // A click on Kenya ticks the list's Kenya box; the map shows it selected.
    await page.locator("#m-KE").click();
    await expect.poll(() => listBox(page, "KE").isChecked()).toBe(true);
    expect(await page.locator("#m-KE").getAttribute("aria-checked")).toBe("true");
    expect(await page.locator(".map-panel").textContent()).toContain("Kenya: in your digest.");

    // Keyboard only: from the last zoom button, Tab reaches the map (one stop), typing jumps to Japan,
    // Space ticks it.
    await page.getByRole("button", { name: "Oceania" }).focus();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Kenya");
    await page.keyboard.type("jap");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Japan");
    await page.keyboard.press("Space");
    await expect.poll(() => listBox(page, "JP").isChecked()).toBe(true);
    expect(await page.locator("#m-JP").getAttribute("aria-checked")).toBe("true");
    // Arrow keys move between countries; Enter unticks and ticks again.
    await page.keyboard.press("ArrowLeft");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).not.toBe("Japan");
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Japan");
    await page.keyboard.press("Enter");
    await expect.poll(() => listBox(page, "JP").isChecked()).toBe(false);
    await page.keyboard.press("Enter");
    await expect.poll(() => listBox(page, "JP").isChecked()).toBe(true);
    await shot(page, "map-01-home-kenya-japan");

    // The list is the source of truth: ticking a box there fills the map too.
    await page.locator("summary", { hasText: "Americas" }).click();
    await listBox(page, "BR").check();
    expect(await page.locator("#m-BR").getAttribute("aria-checked")).toBe("true");
    await listBox(page, "BR").uncheck();
    expect(await page.locator("#m-BR").getAttribute("aria-checked")).toBe("false");
    // Countries with no source are muted and not offered.
    expect(await page.locator("#m-AT").getAttribute("role")).toBeNull();
    expect(await page.locator("#m-AT").getAttribute("class")).toContain("off");

    await page.getByLabel("Email address").fill("wanjiru@example.com");
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.waitForSelector("text=Check your inbox");
    await expect.poll(async () => (await findSubscriberByEmail(database.db, "wanjiru@example.com"))?.countries.sort()).toEqual(["JP", "KE"]);

    await page.goto(`${base}/dev/outbox`);
    await page.getByRole("link", { name: "Confirm your World Digest subscription" }).click();
    await page.waitForSelector("iframe.mail");
    const email = page.frameLocator("iframe.mail");
    await expect.poll(async () => (await email.locator("body").textContent()) ?? "").toMatch(/from (Kenya, Japan|Japan, Kenya)\./);
    await shot(page, "map-02-confirmation-email");
    await context.close();
  });

  it("leads from the map to a country page with the digest's stories and a form ticked for that country", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/`);
    await mapReady(page);
    await page.locator("#m-KE").click();
    await page.locator(".map-panel").getByRole("link", { name: "Latest stories from Kenya" }).click();
    await page.waitForURL(`${base}/countries/ke`);
    await page.waitForSelector("h1:has-text('Kenya')");

    const stories = page.locator("article.story");
    expect(await stories.count()).toBe(3);
    const summit = stories.filter({ hasText: "climate finance" });
    expect(await summit.locator("h3 a").getAttribute("href")).toBe("https://nation.example/climate-finance");
    expect(await summit.locator(".meta").textContent()).toBe("Example Nation · 🇰🇪 Kenya · Translated from Swahili");
    expect(await summit.locator(".why").textContent()).toMatch(/^Why it’s overlooked: Covered by 3 outlets in 3 countries/);
    const takes = summit.locator(".takes li");
    expect(await takes.count()).toBe(2);
    expect(await takes.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^🇳🇬 Nigeria · Example Punch: /), expect.stringMatching(/^🇬🇧 United Kingdom · Example Guardian: /)]));
    expect(await stories.filter({ hasText: "Mombasa" }).locator(".meta").textContent()).toBe("Example Taifa · 🇰🇪 Kenya · Translated from Swahili");

    // The form below has Kenya ticked, in the list and on the map.
    expect(await page.getByRole("heading", { name: "Get this in your morning email" }).count()).toBe(1);
    expect(await listBox(page, "KE").isChecked()).toBe(true);
    await mapReady(page);
    expect(await page.locator("#m-KE").getAttribute("aria-checked")).toBe("true");
    await shot(page, "map-03-country-kenya");

    // A country with a source but no stories says so; an unknown code is a 404 with a way back.
    await page.goto(`${base}/countries/fr`);
    expect(await page.locator("main").textContent()).toContain("No stories from France in the last 3 days.");
    await shot(page, "map-04-country-no-stories");
    const missing = await page.goto(`${base}/countries/zz`);
    expect(missing?.status()).toBe(404);
    await page.getByRole("link", { name: "All countries" }).click();
    await page.waitForURL(`${base}/countries`);
    await shot(page, "map-05-countries-index");
    await context.close();
  });

  it("on a phone: region buttons zoom in, and tapping a small country's dot ticks it", async () => {
    const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/`);
    await mapReady(page);
    await shot(page, "map-06-home-phone");
    const svg = page.locator(".map-canvas svg");
    const world = await svg.getAttribute("viewBox");
    await page.getByRole("button", { name: "Asia" }).tap();
    expect(await svg.getAttribute("viewBox")).not.toBe(world);
    expect(await page.getByRole("button", { name: "Asia" }).getAttribute("aria-pressed")).toBe("true");
    // Singapore is a dot at this size; the tap lands on it.
    await page.locator("#m-SG circle").tap();
    await expect.poll(() => listBox(page, "SG").isChecked()).toBe(true);
    await page.locator(".map").screenshot({ path: join(SCREENSHOTS, "map-07-phone-asia-singapore.png") });
    await context.close();
  });

  it("axe-core finds no serious or critical problem on the home, manage and country pages, at desktop and phone sizes", async () => {
    await insertSubscriber(database.db, { email: "axe@example.com", status: "active", countries: ["KE", "JP", "AT"], timeZone: "Africa/Nairobi", nextSendAt: new Date(Date.now() + 86_400_000) });
    const reader = (await findSubscriberByEmail(database.db, "axe@example.com"))!;
    const manage = linkFor(base, deps.config.appSecret, "manage", reader, new Date());
    const pages = { home: `${base}/`, manage, country: `${base}/countries/ke` };
    const found: string[] = [];
    for (const [size, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
      // bypassCSP lets the test add axe's script to the page; the pages' own CSP is tested elsewhere.
      const context: BrowserContext = await browser.newContext({ viewport, bypassCSP: true, ...(size === "phone" ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true } : {}) });
      for (const [name, url] of Object.entries(pages)) {
        const page = await context.newPage();
        await page.goto(url);
        await mapReady(page);
        if (name === "manage") {
          // Austria lost its source (it never had one here): kept, ticked, and said so.
          expect(await listBox(page, "AT").isChecked()).toBe(true);
          expect(await page.locator("label.check", { has: listBox(page, "AT") }).textContent()).toContain("no working source right now");
        }
        await shot(page, `map-axe-${name}-${size}`);
        for (const v of await seriousViolations(page)) found.push(`${name} (${size}): ${v}`);
        await page.close();
      }
      await context.close();
    }
    expect(found).toEqual([]);
  });

  it("the home page with its map weighs at most 150 KB gzipped", async () => {
    const context = await browser.newContext({ viewport: DESKTOP });
    const page = await context.newPage();
    const bodies: Array<{ url: string; raw: number; gzipped: number }> = [];
    page.on("response", async (res) => {
      const body = await res.body().catch(() => null);
      if (body) bodies.push({ url: res.url().replace(base, ""), raw: body.length, gzipped: gzipSync(body).length });
    });
    await page.goto(`${base}/`);
    await mapReady(page);
    await page.waitForLoadState("networkidle");
    const total = bodies.reduce((sum, b) => sum + b.gzipped, 0);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`page with the map: ${kb(total)} gzipped (${bodies.map((b) => `${b.url.replace(/\?.*/, "")} ${kb(b.raw)} → ${kb(b.gzipped)}`).join("; ")})`);
    expect(bodies.map((b) => b.url).sort()).toEqual(["/", "/assets/app.css", "/assets/app.js", expect.stringMatching(/^\/assets\/world-map-[0-9a-f]{12}\.svg$/)].sort());
    expect(total).toBeLessThanOrEqual(150 * 1024);
    await context.close();
  });
});
