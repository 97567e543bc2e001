// The rendered digest in a real browser, light and dark: screenshots land in test-results/screenshots/
// (digest-light.png, digest-dark.png). Also checks that the dark-mode block applies, that the card is
// 600 px wide at most, and that the email asks for nothing over the network.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, runBrowserTests, SCREENSHOTS } from "./helpers/browser";
import { renderDigestFull } from "../src/digest/render-digest";
import { previewDigest } from "../emails/preview-data";

describe.runIf(runBrowserTests)("digest in a browser", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const scheme of ["light", "dark"] as const) {
    it(`renders in ${scheme} mode without loading anything`, async () => {
      const { html } = await renderDigestFull(previewDigest);
      const page = await browser.newPage({ viewport: { width: 760, height: 900 }, colorScheme: scheme });
      const requests: string[] = [];
      await page.route("**/*", (route) => {
        requests.push(route.request().url());
        return route.abort();
      });
      await page.setContent(html, { waitUntil: "load" });
      await page.screenshot({ path: join(SCREENSHOTS, `digest-${scheme}.png`), fullPage: true });
      const look = await page.evaluate(() => {
        const card = document.querySelector(".wd-card") as HTMLElement;
        const summary = document.querySelector(".wd-card div p:not(.m)") as HTMLElement;
        const outer = document.querySelector("body > table > tbody > tr > td") as HTMLElement;
        const take = document.querySelector(".wd-card .m a") as HTMLElement;
        return {
          width: card.getBoundingClientRect().width,
          cardBg: getComputedStyle(card).backgroundColor,
          outerBg: getComputedStyle(outer).backgroundColor,
          summaryColor: getComputedStyle(summary).color,
          takeColor: getComputedStyle(take).color,
        };
      });
      await page.close();
      expect(requests).toEqual([]);
      expect(look.width).toBeLessThanOrEqual(600);
      if (scheme === "light") {
        expect(look.cardBg).toBe("rgb(255, 255, 255)");
        expect(look.outerBg).toBe("rgb(244, 243, 239)");
        expect(look.summaryColor).toBe("rgb(28, 31, 36)");
        expect(look.takeColor).toBe("rgb(15, 92, 140)");
      } else {
        expect(look.cardBg).toBe("rgb(33, 36, 41)");
        expect(look.outerBg).toBe("rgb(22, 24, 27)");
        expect(look.summaryColor).toBe("rgb(233, 231, 226)");
        expect(look.takeColor).toBe("rgb(134, 195, 238)");
      }
    });
  }
});
