import { type Command, Option } from "commander";
import { OpenAIChatModel } from "../../adapters/models/openai-chat.js";
import { type DriftSeverity, SEVERITIES } from "../../domain/drift/classify.js";
import { requireEnv } from "../../domain/plan/env-refs.js";
import { PlanValidationError } from "../../domain/plan/parse.js";
import { atLeast, checkDriftBeforeRun } from "../../engine/drift/preflight.js";
import { PlanningError } from "../../engine/planners/model-planner.js";
import { ProjectionRunner } from "../../projections/runner.js";
import { visualBaselinesProjection } from "../../projections/visual-baselines.js";
import type { EngineRuntime } from "../../runtime.js";
import { EXIT_DRIFT, printDrift } from "../drift-output.js";
import { httpUrl, nonEmpty, reportLines, withEngine } from "../engine-session.js";
import { printProgress } from "../progress.js";
import {
  BadInputError,
  interpretations,
  type Planned,
  pageSummaryOf,
  planLines,
  plansFor,
} from "../requirements.js";

export { httpUrl, reportLines, summaryLine, withEngine, writeReports } from "../engine-session.js";

export function registerRun(program: Command) {
  program
    .command("run")
    .description(
      "run a test plan (YAML or JSON), a Gherkin feature file, or plain requirements against an application",
    )
    .argument(
      "[plan]",
      "plan file (YAML/JSON), or feature file (.feature): each scenario runs as its own test",
    )
    .option("--requirements <text>", "requirements in plain or Gherkin-style sentences instead of a file")
    .option(
      "--url <url>",
      "the application's URL, opened first (overrides a plan's application_url)",
      httpUrl,
    )
    .option(
      "--dry-run",
      "plan and print the steps as understood, one line each with its sentence; run nothing",
    )
    .addOption(new Option("--driver <kind>", "browser framework").choices(["playwright", "webdriverio"]))
    .option(
      "--app-version <version>",
      "the version of the application under test, for reports and reliability",
      nonEmpty,
    )
    .option(
      "--drift-baseline <version>",
      "check pages against this version's approved baselines: before the run (those it can reach) and each page the run visits",
      nonEmpty,
    )
    .option(
      "--capture-baselines <version>",
      "capture the first state of each page the run visits as a baseline of this version (to approve after)",
      nonEmpty,
    )
    .addOption(
      new Option(
        "--fail-on-drift <severity>",
        "do not run when the drift reaches this severity (exit 3)",
      ).choices(SEVERITIES.slice(1)),
    )
    .addOption(
      new Option(
        "--planner <kind>",
        "how --requirements become steps: sentence rules, or the rules and a chat model for the sentences they refuse",
      )
        .choices(["deterministic", "model"])
        .default("deterministic"),
    )
    .action(async (file: string | undefined, options: RunOptions) => {
      const input = { file, requirements: options.requirements, url: options.url, planner: options.planner };
      // Plans that need no model are read and checked before anything opens: a bad plan costs no start-up.
      const early = options.planner === "model" ? undefined : await plansFor(input);
      if (options.dryRun && early) {
        for (const plan of early.plans) process.stdout.write(planLines(plan));
        return;
      }
      for (const plan of early?.plans ?? []) requireEnv(plan, process.env);
      await withEngine(
        program.opts().config,
        async (rt, dataDir, config) => {
          if (early) return runPlanned(rt, dataDir, early, options);
          const driver = options.driver ?? config.browser.driver;
          const chat =
            options.planner === "model"
              ? new OpenAIChatModel({
                  baseURL: config.models.baseUrl,
                  apiKey: config.models.apiKey,
                  model: config.models.planner,
                })
              : undefined;
          let planned: Planned;
          try {
            planned = await plansFor(
              input,
              chat && options.url
                ? {
                    chat,
                    pageSummary: pageSummaryOf(rt.pool, driver, options.url, config.browser.allowedHosts),
                  }
                : undefined,
            );
          } catch (error) {
            if (!(error instanceof PlanningError)) throw error;
            // A model that could not plan is a run that errored, recorded with why.
            const runId = await rt.engine.start({
              applicationUrl: options.url,
              planner: "model",
              source: "requirements",
              planningError: { error: error.message, attempts: error.attempts },
              requestedBy: "cli",
            });
            process.stderr.write(`planning failed: ${error.message}\n`);
            process.stdout.write(await reportLines(dataDir, await rt.engine.details(runId), rt.blobs));
            process.exitCode = 1;
            return;
          }
          if (options.dryRun) {
            for (const plan of planned.plans) process.stdout.write(planLines(plan));
            return;
          }
          for (const plan of planned.plans) requireEnv(plan, process.env);
          await runPlanned(rt, dataDir, planned, options);
        },
        { announce: true, driver: options.driver },
      );
    });
}

/** Runs each planned test in turn (a feature's scenarios one after the other) and sums them up. */
async function runPlanned(rt: EngineRuntime, dataDir: string, planned: Planned, options: RunOptions) {
  const { engine, blobs, drift, store } = rt;
  const first = planned.plans[0]!;
  if (options.driftBaseline) {
    // The CLI has no projection runner of its own: the baselines table first takes in the log.
    await new ProjectionRunner(store, [visualBaselinesProjection]).catchUp();
    const preflight = await checkDriftBeforeRun(drift, store.db, {
      baselineVersion: options.driftBaseline,
      applicationUrl: first.application_url,
    });
    if (preflight.checked.length + preflight.failed.length === 0)
      process.stderr.write(`drift: no approved baselines at version ${options.driftBaseline}\n`);
    for (const c of preflight.checked) printDrift(c.result);
    for (const f of preflight.failed) process.stderr.write(`${f.page}: drift check failed: ${f.error}\n`);
    if (options.failOnDrift && atLeast(preflight.worst, options.failOnDrift)) {
      process.stderr.write(
        `not running: drift reached ${preflight.worst} (--fail-on-drift ${options.failOnDrift})\n`,
      );
      process.exitCode = EXIT_DRIFT;
      return;
    }
  }
  let said = new Map<string, string>();
  engine.onProgress((event) => printProgress(event, undefined, said));
  const statuses: string[] = [];
  for (const plan of planned.plans) {
    // Requirements show each step as understood; a plan file's steps already say what they do.
    said = planned.planner === "file" ? new Map() : interpretations(plan);
    const steps = plan.test_steps.length + plan.setup_steps.length + plan.teardown_steps.length;
    process.stderr.write(`running "${plan.name}" against ${plan.application_url} (${steps} steps)\n`);
    const state = await engine.run({
      plan,
      planner: planned.planner,
      source: planned.planner === "file" ? "plan" : "requirements",
      driver: options.driver,
      applicationVersion: options.appVersion,
      requestedBy: "cli",
      baselines: baselinesOf(options),
    });
    for (const d of state.drift) printDrift(d);
    process.stdout.write(await reportLines(dataDir, state, blobs));
    statuses.push(state.status);
  }
  if (planned.feature) {
    const passed = statuses.filter((s) => s === "passed").length;
    process.stdout.write(
      `feature "${planned.feature}": ${statuses.length} scenario(s), ${passed} passed, ${statuses.length - passed} not passed\n`,
    );
  }
  process.exitCode = statuses.every((s) => s === "passed") ? 0 : 1;
}

const baselinesOf = (options: RunOptions) =>
  options.driftBaseline || options.captureBaselines
    ? { check: options.driftBaseline, capture: options.captureBaselines }
    : undefined;

type RunOptions = {
  requirements?: string;
  url?: string;
  dryRun?: boolean;
  driver?: "playwright" | "webdriverio";
  appVersion?: string;
  driftBaseline?: string;
  captureBaselines?: string;
  failOnDrift?: DriftSeverity;
  planner: "deterministic" | "model";
};

export { BadInputError, PlanValidationError };
