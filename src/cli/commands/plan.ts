import { type Command, Option } from "commander";
import { OpenAIChatModel } from "../../adapters/models/openai-chat.js";
import { pageSummaryOf, planLines, plansFor } from "../requirements.js";
import { httpUrl, withEngine } from "./run.js";

/** Where requirements are planned when no --url is given: the plan shows the application as this. */
const NO_URL = "http://application.invalid";

export function registerPlan(program: Command) {
  program
    .command("plan")
    .description(
      "print how requirements, a feature file or a plan file are understood: each step on one line, with the sentence it comes from; runs nothing (exit 2 when a sentence is not understood)",
    )
    .argument("[file]", "plan file (YAML/JSON) or feature file (.feature)")
    .option("--requirements <text>", "requirements in plain or Gherkin-style sentences")
    .option("--url <url>", "the application's URL (planned against a placeholder without it)", httpUrl)
    .addOption(
      new Option(
        "--planner <kind>",
        "sentence rules, or the rules and a chat model for the sentences they refuse",
      )
        .choices(["deterministic", "model"])
        .default("deterministic"),
    )
    .action(
      async (
        file: string | undefined,
        options: { requirements?: string; url?: string; planner: "deterministic" | "model" },
      ) => {
        const planFile = file !== undefined && /\.(?:ya?ml|json)$/.test(file);
        // A plan file names its application; the placeholder stands in only where nothing does.
        const url = options.url ?? (planFile ? undefined : NO_URL);
        const input = { file, requirements: options.requirements, url, planner: options.planner };
        if (!options.url && !planFile)
          process.stderr.write(
            `no --url: the application is shown as ${NO_URL}, and plan ids depend on it\n`,
          );
        if (options.planner !== "model") {
          for (const plan of (await plansFor(input)).plans) process.stdout.write(planLines(plan));
          return;
        }
        await withEngine(program.opts().config, async (rt, _dataDir, config) => {
          const chat = new OpenAIChatModel({
            baseURL: config.models.baseUrl,
            apiKey: config.models.apiKey,
            model: config.models.planner,
          });
          const pageSummary = options.url
            ? pageSummaryOf(rt.pool, config.browser.driver, options.url, config.browser.allowedHosts)
            : undefined;
          for (const plan of (await plansFor(input, { chat, pageSummary })).plans)
            process.stdout.write(planLines(plan));
        });
      },
    );
}
