import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { BlobStore } from "../../adapters/blobs/fs-blob-store.js";
import { OpenAIChatModel } from "../../adapters/models/openai-chat.js";
import type { Config } from "../../config/load.js";
import { type DriftSeverity, SEVERITIES } from "../../domain/drift/classify.js";
import type { TestPlan } from "../../domain/plan/model.js";
import { PlanValidationError, parsePlan } from "../../domain/plan/parse.js";
import { planFromRequirementsText, RequirementsError } from "../../domain/planner/requirements-plan.js";
import { stepCounts } from "../../domain/run/state.js";
import { atLeast, checkDriftBeforeRun } from "../../engine/drift/preflight.js";
import { ModelPlanner, PlanningError } from "../../engine/planners/model-planner.js";
import { renderHtml } from "../../projections/render-html.js";
import { renderJUnit } from "../../projections/render-junit.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import { buildRunReport } from "../../projections/run-report/report.js";
import { ProjectionRunner } from "../../projections/runner.js";
import { visualBaselinesProjection } from "../../projections/visual-baselines.js";
import { type EngineRuntime, loadRuntime, openEngine } from "../../runtime.js";
import { printProgress } from "../progress.js";
import { EXIT_DRIFT, printDrift } from "./drift.js";

export class BadInputError extends Error {
  override readonly name = "BadInputError";
}

export function httpUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return url.toString().replace(/\/$/, "");
  } catch {
    // Reported below.
  }
  throw new InvalidArgumentError("must be an http(s) URL");
}

/** A plan from a file (with the URL overridden if given) or from requirements text. */
export function loadPlan(options: { file?: string; requirements?: string; url?: string }): {
  plan: TestPlan;
  planner: "file" | "deterministic";
} {
  if (options.file && options.requirements)
    throw new BadInputError("give a plan file or --requirements, not both");
  if (options.file) {
    const path = resolve(options.file);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      throw new BadInputError(
        `cannot read plan file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    const plan = parsePlan(text, options.file);
    return { plan: options.url ? { ...plan, application_url: options.url } : plan, planner: "file" };
  }
  if (!options.requirements) throw new BadInputError("give a plan file or --requirements TEXT");
  if (!options.url) throw new BadInputError("--requirements needs --url, the application to test");
  try {
    return { plan: planFromRequirementsText(options.requirements, options.url), planner: "deterministic" };
  } catch (error) {
    if (error instanceof RequirementsError) throw new BadInputError(error.message);
    throw error;
  }
}

/** Writes the run's report as HTML (self-contained), JSON and JUnit XML; returns the three paths. */
export async function writeReports(dataDir: string, state: RunDetails, blobs: BlobStore) {
  const dir = join(dataDir, "reports");
  mkdirSync(dir, { recursive: true });
  const report = buildRunReport(state);
  const base = join(dir, String(state.run_id));
  const paths = { html: `${base}.html`, json: `${base}.json`, junit: `${base}.junit.xml` };
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.junit, renderJUnit(report));
  writeFileSync(paths.html, await renderHtml(report, (hash) => blobs.get(hash).catch(() => undefined)));
  return paths;
}

/** The lines that end a run's output: its summary and where its reports are. */
export async function reportLines(dataDir: string, state: RunDetails, blobs: BlobStore): Promise<string> {
  const paths = await writeReports(dataDir, state, blobs);
  return `${summaryLine(state)}\nreport: ${paths.html}\njson: ${paths.json}\njunit: ${paths.junit}\n`;
}

export function summaryLine(state: RunDetails): string {
  const c = stepCounts(state);
  return `run ${state.run_id} ${state.status}: ${c.passed} passed, ${c.healed} healed, ${c.failed} failed, ${c.skipped} skipped (${state.duration_ms ?? 0} ms)`;
}

export async function withEngine<T>(
  configFile: string | undefined,
  fn: (runtime: EngineRuntime, dataDir: string, config: Config) => Promise<T>,
): Promise<T> {
  const runtime = loadRuntime(configFile);
  const engine = await openEngine(runtime);
  const stop = () => void engine.engine.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await fn(engine, runtime.config.store.dataDir, runtime.config);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await engine.close();
  }
}

export function registerRun(program: Command) {
  program
    .command("run")
    .description("run a test plan (YAML or JSON) or plain requirements against an application")
    .argument("[plan]", "plan file")
    .option(
      "--requirements <text>",
      "requirements in plain or Gherkin-style sentences instead of a plan file",
    )
    .option("--url <url>", "the application's URL (overrides the plan's application_url)", httpUrl)
    .addOption(new Option("--driver <kind>", "browser framework").choices(["playwright", "webdriverio"]))
    .option(
      "--app-version <version>",
      "the version of the application under test, for reports and reliability",
    )
    .option(
      "--drift-baseline <version>",
      "check pages against this version's approved baselines: before the run (those it can reach) and each page the run visits",
    )
    .option(
      "--capture-baselines <version>",
      "capture the first state of each page the run visits as a baseline of this version (to approve after)",
    )
    .addOption(
      new Option(
        "--fail-on-drift <severity>",
        "do not run when the drift reaches this severity (exit 3)",
      ).choices(SEVERITIES.slice(1)),
    )
    .addOption(
      new Option("--planner <kind>", "how --requirements become steps: sentence rules, or a chat model")
        .choices(["deterministic", "model"])
        .default("deterministic"),
    )
    .action(async (file: string | undefined, options: RunOptions) => {
      if (options.planner === "model" && !file) return runWithModelPlanner(program, options);
      const { plan, planner } = loadPlan({ file, requirements: options.requirements, url: options.url });
      await withEngine(program.opts().config, async ({ engine, blobs, drift, store }, dataDir) => {
        if (options.driftBaseline) {
          // The CLI has no projection runner of its own: the baselines table first takes in the log.
          await new ProjectionRunner(store, [visualBaselinesProjection]).catchUp();
          const preflight = await checkDriftBeforeRun(drift, store.db, {
            baselineVersion: options.driftBaseline,
            applicationUrl: plan.application_url,
          });
          if (preflight.checked.length + preflight.failed.length === 0)
            process.stderr.write(`drift: no approved baselines at version ${options.driftBaseline}\n`);
          for (const c of preflight.checked) printDrift(c.result);
          for (const f of preflight.failed)
            process.stderr.write(`${f.page}: drift check failed: ${f.error}\n`);
          if (options.failOnDrift && atLeast(preflight.worst, options.failOnDrift)) {
            process.stderr.write(
              `not running: drift reached ${preflight.worst} (--fail-on-drift ${options.failOnDrift})\n`,
            );
            process.exitCode = EXIT_DRIFT;
            return;
          }
        }
        engine.onProgress((event) => printProgress(event));
        process.stderr.write(
          `running "${plan.name}" against ${plan.application_url} (${plan.test_steps.length + plan.setup_steps.length + plan.teardown_steps.length} steps)\n`,
        );
        const state = await engine.run({
          plan,
          planner,
          source: planner === "file" ? "plan" : "requirements",
          driver: options.driver,
          applicationVersion: options.appVersion,
          requestedBy: "cli",
          baselines: baselinesOf(options),
        });
        for (const d of state.drift) printDrift(d);
        process.stdout.write(await reportLines(dataDir, state, blobs));
        process.exitCode = state.status === "passed" ? 0 : 1;
      });
    });
}

const baselinesOf = (options: RunOptions) =>
  options.driftBaseline || options.captureBaselines
    ? { check: options.driftBaseline, capture: options.captureBaselines }
    : undefined;

type RunOptions = {
  requirements?: string;
  url?: string;
  driver?: "playwright" | "webdriverio";
  appVersion?: string;
  driftBaseline?: string;
  captureBaselines?: string;
  failOnDrift?: DriftSeverity;
  planner: "deterministic" | "model";
};

/** Asks the configured chat model for the plan; a planning failure is recorded as a run that errored. */
async function runWithModelPlanner(program: Command, options: RunOptions) {
  if (!options.requirements) throw new BadInputError("--planner model needs --requirements TEXT");
  if (!options.url) throw new BadInputError("--requirements needs --url, the application to test");
  const url = options.url;
  const requirements = options.requirements;
  await withEngine(program.opts().config, async ({ engine, blobs }, dataDir, { models }) => {
    const planner = new ModelPlanner(
      new OpenAIChatModel({ baseURL: models.baseUrl, apiKey: models.apiKey, model: models.planner }),
    );
    let plan: TestPlan;
    try {
      plan = await planner.plan(requirements, url);
    } catch (error) {
      if (!(error instanceof PlanningError)) throw error;
      const runId = await engine.start({
        applicationUrl: url,
        planner: "model",
        source: "requirements",
        planningError: { error: error.message, attempts: error.attempts },
        requestedBy: "cli",
      });
      const state = await engine.details(runId);
      process.stderr.write(`planning failed: ${error.message}\n`);
      process.stdout.write(await reportLines(dataDir, state, blobs));
      process.exitCode = 1;
      return;
    }
    engine.onProgress((event) => printProgress(event));
    process.stderr.write(`planned ${plan.test_steps.length} steps with ${models.planner}\n`);
    const state = await engine.run({
      plan,
      planner: "model",
      source: "requirements",
      driver: options.driver,
      applicationVersion: options.appVersion,
      requestedBy: "cli",
    });
    process.stdout.write(await reportLines(dataDir, state, blobs));
    process.exitCode = state.status === "passed" ? 0 : 1;
  });
}

export { PlanValidationError };
