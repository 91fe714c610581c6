import { defineConfig } from "@playwright/test";

/**
 * The console's end-to-end spec, run by console.test.ts (vitest) with `npx playwright test` against a
 * `testdriver serve --demo` it started; Debian's Chromium, nothing downloaded.
 */
export default defineConfig({
  testDir: ".",
  testMatch: "console.spec.ts",
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: "list",
  outputDir: "../../.tmp/console-results",
  use: {
    baseURL: process.env.CONSOLE_URL,
    viewport: { width: 1200, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
