import { exportPlaywright } from "./export-playwright.js";
import type { RunDetails } from "./run-report/details.js";

/** A file of an exported folder: its path inside the folder and its text. */
export interface ExportedFile {
  path: string;
  text: string;
}

/** The spec's file name: the plan's name as a slug, so a folder of several exports stays readable. */
export function specFileName(state: RunDetails): string {
  const slug = (state.plan?.name ?? "run")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${slug || "run"}.spec.mjs`;
}

/**
 * A run as a folder that runs anywhere: the spec beside its own package.json and Playwright config, so
 * `npm install && npx playwright test` there finds both the test runner and the test, whatever directory
 * the folder was written to (a lone spec outside a Playwright project finds neither).
 */
export function exportPlaywrightFolder(state: RunDetails, playwrightVersion: string): ExportedFile[] {
  const spec = specFileName(state);
  const name = spec.replace(/\.spec\.mjs$/, "");
  const packageJson = {
    name: `testdriver-export-${name}`,
    private: true,
    type: "module",
    scripts: { test: "playwright test" },
    devDependencies: { "@playwright/test": playwrightVersion },
  };
  const config = `// Written by TestDriver with ${spec}. Chromium comes from CHROMIUM_PATH (default /usr/bin/chromium), so
// no browser download is needed; TESTDRIVER_BASE_URL points the test at another copy of the application.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: ".",
  testMatch: "*.spec.mjs",
  reporter: "list",
  use: { trace: "retain-on-failure" },
});
`;
  const readme = `# ${state.plan?.name ?? "Exported run"}

Exported by TestDriver from run ${state.run_id} (${state.status}).

    npm install
    npx playwright test

Environment: \`TESTDRIVER_BASE_URL\` (default ${state.plan?.application_url ?? "the run's application"}),
\`CHROMIUM_PATH\` (default /usr/bin/chromium)${secretNote(state)}.
`;
  return [
    { path: "package.json", text: `${JSON.stringify(packageJson, null, 2)}\n` },
    { path: "playwright.config.mjs", text: config },
    { path: spec, text: exportPlaywright(state) },
    { path: "README.md", text: readme },
  ];
}

function secretNote(state: RunDetails): string {
  const line = exportPlaywright(state)
    .split("\n")
    .find((l) => l.startsWith("// Secrets come from the environment: "));
  return line ? `, and the secrets ${line.replace("// Secrets come from the environment: ", "")}` : "";
}
