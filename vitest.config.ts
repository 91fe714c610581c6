import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // PGlite and Chromium are memory- and CPU-heavy; two cores do best with few workers.
    maxWorkers: 2,
    pool: "forks",
    reporters: ["default", "./tests/support/summary-reporter.ts"],
  },
});
