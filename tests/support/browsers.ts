import { existsSync } from "node:fs";
import { PlaywrightDriver } from "../../src/adapters/browser/playwright.js";
import { WebdriverIODriver } from "../../src/adapters/browser/webdriverio.js";
import type { BrowserDriver } from "../../src/ports/browser.js";

export const CHROMIUM = process.env.TESTDRIVER_CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMEDRIVER = process.env.TESTDRIVER_CHROMEDRIVER_PATH ?? "/usr/bin/chromedriver";

/** Browser suites run when Chromium is installed, and always under CI=true, where its absence must fail. */
export const browsersAvailable =
  process.env.CI === "true" || (existsSync(CHROMIUM) && existsSync(CHROMEDRIVER));

export const chromiumOptions = { executablePath: CHROMIUM, chromedriverPath: CHROMEDRIVER, headless: true };

export const driverFactories: { kind: "playwright" | "webdriverio"; create: () => BrowserDriver }[] = [
  { kind: "playwright", create: () => new PlaywrightDriver(chromiumOptions) },
  { kind: "webdriverio", create: () => new WebdriverIODriver(chromiumOptions) },
];
