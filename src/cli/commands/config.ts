import type { Command } from "commander";
import { describeConfig, loadConfig } from "../../config/load.js";
import { SETTINGS } from "../../config/settings.js";

export function registerConfig(program: Command) {
  program
    .command("config")
    .description("print the effective configuration and where each value came from (secrets hidden)")
    .option("--reference", "print the reference of every setting as a Markdown table instead")
    .action((options: { reference?: boolean }) => {
      if (options.reference) {
        const rows = SETTINGS.map((s) => {
          const fallback = s.schema.safeParse(undefined);
          const value = fallback.success ? fallback.data : undefined;
          const text =
            s.defaultText ??
            (Array.isArray(value) ? value.join(",") : value === undefined ? undefined : String(value));
          const shown = text ? `\`${text}\`` : "";
          return `| \`${s.env}\` | \`${s.path.join(".")}\` | ${shown} | ${s.allowed} | ${s.description} |`;
        });
        process.stdout.write(
          [
            "| Environment | YAML key | Default | Allowed | Meaning |",
            "|---|---|---|---|---|",
            ...rows,
            "",
          ].join("\n"),
        );
        return;
      }
      process.stdout.write(
        `${JSON.stringify(describeConfig(loadConfig({ file: program.opts().config })), null, 2)}\n`,
      );
    });
}
