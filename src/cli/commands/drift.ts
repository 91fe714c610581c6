import { type Command, InvalidArgumentError, Option } from "commander";
import { type DriftSeverity, SEVERITIES } from "../../domain/drift/classify.js";
import { atLeast } from "../../engine/drift/preflight.js";
import { ProjectionRunner } from "../../projections/runner.js";
import {
  driftDetections,
  listBaselines,
  visualBaselinesProjection,
} from "../../projections/visual-baselines.js";
import { EXIT_DRIFT, printDrift } from "../drift-output.js";
import { httpUrl, withEngine } from "../engine-session.js";

/** "x,y,width,height" in screenshot pixels. */
const region = (value: string, previous: { x: number; y: number; width: number; height: number }[] = []) => {
  const parts = value.split(",").map(Number);
  if (parts.length !== 4 || !parts.every(Number.isFinite) || parts[2]! <= 0 || parts[3]! <= 0)
    throw new InvalidArgumentError('must be "x,y,width,height" with a positive width and height');
  const [x, y, width, height] = parts as [number, number, number, number];
  return [...previous, { x, y, width, height }];
};

export function registerDrift(program: Command) {
  const baseline = program
    .command("baseline")
    .description("visual baselines: how pages should look, per version");
  baseline
    .command("capture")
    .description("capture a page as the baseline for its page identifier and application version")
    .requiredOption("--url <url>", "the page to capture", httpUrl)
    .requiredOption("--page <id>", "page identifier (a name or URL pattern)")
    .requiredOption("--app-version <version>", "application version the baseline belongs to")
    .option("--ignore <x,y,width,height>", "a region left out of pixel comparison (repeatable)", region)
    .action(
      (options: { url: string; page: string; appVersion: string; ignore?: ReturnType<typeof region> }) =>
        withEngine(program.opts().config, async ({ drift }) => {
          const captured = await drift.capture({
            url: options.url,
            page: options.page,
            version: options.appVersion,
            ignore: options.ignore ?? [],
          });
          process.stderr.write(
            `captured baseline ${captured.baseline_id} for ${options.page} at ${options.appVersion}; approve it with: testdriver baseline approve ${captured.baseline_id} --by NAME\n`,
          );
          process.stdout.write(`${JSON.stringify(captured)}\n`);
        }),
    );
  baseline
    .command("approve")
    .argument("<baseline-id>")
    .description("approve the captured baseline as the reference for drift checks")
    .requiredOption("--by <name>", "who approves it")
    .option("--note <text>", "why")
    .action((baselineId: string, options: { by: string; note?: string }) =>
      withEngine(program.opts().config, async ({ drift }) => {
        const state = await drift.approve(baselineId, options.by, options.note);
        process.stderr.write(
          `approved ${baselineId} (${state.current?.page_identifier} at ${state.current?.application_version})\n`,
        );
      }),
    );
  baseline
    .command("list")
    .description("baselines as JSON lines")
    .option("--page <id>")
    .option("--app-version <version>")
    .action((options: { page?: string; appVersion?: string }) =>
      withEngine(program.opts().config, async ({ store }) => {
        await new ProjectionRunner(store, [visualBaselinesProjection]).catchUp();
        for (const row of await listBaselines(store.db, { page: options.page, version: options.appVersion }))
          process.stdout.write(`${JSON.stringify(row)}\n`);
      }),
    );

  const drift = program.command("drift").description("check pages against their approved baselines");
  drift
    .command("check")
    .description(
      `check a page now against its approved baseline; exits ${EXIT_DRIFT} when the drift reaches --fail-on`,
    )
    .requiredOption("--url <url>", "the page as it is now", httpUrl)
    .requiredOption("--page <id>", "page identifier of the baseline")
    .requiredOption("--app-version <version>", "application version of the baseline")
    .addOption(
      new Option("--fail-on <severity>", "severity from which the check fails")
        .choices(SEVERITIES.slice(1))
        .default("functional"),
    )
    .action((options: { url: string; page: string; appVersion: string; failOn: DriftSeverity }) =>
      withEngine(program.opts().config, async ({ drift }) => {
        const result = await drift.check({
          url: options.url,
          page: options.page,
          version: options.appVersion,
        });
        printDrift(result);
        process.stdout.write(`${JSON.stringify(result)}\n`);
        if (atLeast(result.severity, options.failOn)) process.exitCode = EXIT_DRIFT;
      }),
    );
  drift
    .command("list")
    .description("recent drift detections as JSON lines")
    .option("--page <id>")
    .option("--limit <n>", "how many", (v) => Number.parseInt(v, 10), 20)
    .action((options: { page?: string; limit: number }) =>
      withEngine(program.opts().config, async ({ store }) => {
        await new ProjectionRunner(store, [visualBaselinesProjection]).catchUp();
        for (const row of await driftDetections(store.db, { page: options.page, limit: options.limit }))
          process.stdout.write(`${JSON.stringify(row)}\n`);
      }),
    );
}
