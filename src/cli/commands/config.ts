import type { Command } from "commander";
import { describeConfig, loadConfig } from "../../config/load.js";
import { settingsReference } from "../../config/reference.js";

export function registerConfig(program: Command) {
  program
    .command("config")
    .description("print the effective configuration and where each value came from (secrets hidden)")
    .option("--reference", "print the reference of every setting as a Markdown table instead")
    .action((options: { reference?: boolean }) => {
      if (options.reference) {
        process.stdout.write(settingsReference());
        return;
      }
      process.stdout.write(
        `${JSON.stringify(describeConfig(loadConfig({ file: program.opts().config })), null, 2)}\n`,
      );
    });
}
