import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { type Command, Option } from "commander";
import { NotFoundError } from "../../domain/errors.js";
import { exportPlaywrightFolder } from "../../projections/export-folder.js";
import { exportPlaywright } from "../../projections/export-playwright.js";
import { readRunDetails } from "../../projections/run-report/queries.js";
import { loadRuntime, openStore } from "../../runtime.js";
import { resolveRunId } from "../run-ids.js";

// The exported folder asks for the Playwright release TestDriver itself drives (playwright-core and
// @playwright/test are released together), so the locators behave as they did in the run.
const playwrightVersion = (): string =>
  (createRequire(import.meta.url)("playwright-core/package.json") as { version: string }).version;

export function registerExport(program: Command) {
  program
    .command("export")
    .argument("<run-id>", "a run's id, or a unique start of it")
    .description(
      "write a run as a runnable Playwright Test file, with the locators the run resolved; --dir writes a folder that runs anywhere",
    )
    .addOption(new Option("--format <format>", "export format").choices(["playwright"]).default("playwright"))
    .option("-o, --output <file>", "write the spec to a file instead of stdout")
    .option("--dir <folder>", "write a folder: the spec, package.json and playwright.config.mjs")
    .action(async (given: string, options: { output?: string; dir?: string }) => {
      const { store } = await openStore(loadRuntime(program.opts().config));
      try {
        const runId = await resolveRunId(store, given);
        const state = await readRunDetails(store, runId);
        if (state.status === "none") throw new NotFoundError(`no run ${runId}`);
        if (options.dir) {
          const dir = resolve(options.dir);
          mkdirSync(dir, { recursive: true });
          for (const file of exportPlaywrightFolder(state, playwrightVersion())) {
            writeFileSync(join(dir, file.path), file.text);
          }
          process.stderr.write(
            `wrote ${dir}\nrun it with: cd ${dir} && npm install && npx playwright test\n`,
          );
          return;
        }
        const source = exportPlaywright(state);
        if (options.output) {
          writeFileSync(options.output, source);
          process.stderr.write(`wrote ${options.output}\n`);
        } else process.stdout.write(source);
      } finally {
        await store.close();
      }
    });
}
