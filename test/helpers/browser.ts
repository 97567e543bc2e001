// Debian's chromium driven by playwright-core (never a downloaded browser). Outside CI a missing
// chromium skips the browser tests; in CI (CI=true) it is a failure.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const browserAvailable = existsSync(CHROMIUM);
export const inCI = process.env.CI === "true" || process.env.CI === "1";
/** Run the browser tests when chromium is there, or in CI (where its absence must fail loudly). */
export const runBrowserTests = browserAvailable || inCI;

export const SCREENSHOTS = join(process.cwd(), "test-results", "screenshots");

export async function launchBrowser(): Promise<Browser> {
  if (!browserAvailable) throw new Error(`chromium not found at ${CHROMIUM}: install it (apt-get install -y chromium)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Playwright's launch() gives every browser a fresh, empty profile (its own --user-data-dir).
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
