import { writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { NotFoundError } from "../../domain/errors.js";
import { exportPlaywright } from "../../projections/export-playwright.js";
import { readRunDetails } from "../../projections/run-report/queries.js";
import { loadRuntime, openStore } from "../../runtime.js";

export function registerExport(program: Command) {
  program
    .command("export")
    .argument("<run-id>")
    .description("write a run as a runnable Playwright Test file, with the locators the run resolved")
    .addOption(new Option("--format <format>", "export format").choices(["playwright"]).default("playwright"))
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (runId: string, options: { output?: string }) => {
      const { store } = await openStore(loadRuntime(program.opts().config));
      try {
        const state = await readRunDetails(store, runId);
        if (state.status === "none") throw new NotFoundError(`no run ${runId}`);
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
