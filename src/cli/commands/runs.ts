import { type Command, InvalidArgumentError } from "commander";
import type { TestEngine } from "../../engine/engine.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import { runsProjection } from "../../projections/run-report/projection.js";
import { listRuns } from "../../projections/run-report/queries.js";
import { ProjectionRunner } from "../../projections/runner.js";
import { printProgress } from "../progress.js";
import { resolveRunId } from "../run-ids.js";
import { BadInputError, reportLines, withEngine } from "./run.js";

/** `--secret NAME=VALUE`, repeatable; the value may contain "=" and is never printed. */
function collectSecret(pair: string, secrets: Record<string, string>): Record<string, string> {
  const at = pair.indexOf("=");
  if (at <= 0) throw new BadInputError(`--secret: give NAME=VALUE (got a value without a name or "=")`);
  const name = pair.slice(0, at);
  if (name in secrets) throw new BadInputError(`--secret ${name} is given twice`);
  return { ...secrets, [name]: pair.slice(at + 1) };
}

export function registerRunControl(program: Command) {
  const continuing = (
    name: string,
    description: string,
    go: (engine: TestEngine, runId: string) => Promise<RunDetails>,
  ) =>
    program
      .command(name)
      .description(description)
      .argument("<run-id>", "a run's id, or a unique start of it")
      .action(async (given: string) => {
        await withEngine(program.opts().config, async ({ engine, blobs, store }, dataDir) => {
          engine.onProgress((event) => printProgress(event));
          const state = await go(engine, await resolveRunId(store, given));
          process.stdout.write(await reportLines(dataDir, state, blobs));
          process.exitCode = state.status === "passed" ? 0 : 1;
        });
      });
  program
    .command("resume")
    .description("continue a stopped run, or one whose process died, from its last snapshot")
    .argument("<run-id>", "a run's id, or a unique start of it")
    .option(
      "--secret <name=value>",
      "a secret the run types: NAME is a secret step's id or an ${env:NAME} the plan uses (repeatable)",
      collectSecret,
      {},
    )
    .action(async (given: string, options: { secret: Record<string, string> }) => {
      await withEngine(program.opts().config, async ({ engine, blobs, store }, dataDir) => {
        engine.onProgress((event) => printProgress(event));
        const runId = await resolveRunId(store, given);
        const state: RunDetails = await engine.resume(runId, { secrets: options.secret });
        process.stdout.write(await reportLines(dataDir, state, blobs));
        process.exitCode = state.status === "passed" ? 0 : 1;
      });
    });
  continuing(
    "heal",
    "re-run a failed run from its first failed step, healing locators that no longer match",
    (e, id) => e.heal(id),
  );

  program
    .command("runs")
    .description(
      "list runs, newest first, one line each: status (queued while a run waits for a worker), the worker holding it, steps",
    )
    .option(
      "--limit <n>",
      "how many",
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError("must be 1 to 500");
        return n;
      },
      20,
    )
    .option("--json", "JSON lines instead of text")
    .action(async (options: { limit: number; json?: boolean }) => {
      await withEngine(program.opts().config, async ({ engine, store }) => {
        await new ProjectionRunner(store, [runsProjection]).catchUp();
        const rows = await listRuns(store.db, { limit: options.limit });
        const queue = await engine.leases?.queue.entries(rows.map((r) => r.run_id));
        for (const r of rows) {
          const q = queue?.get(r.run_id);
          const status = q?.status === "queued" ? "queued" : r.status;
          const held =
            q?.status === "claimed" ? `${q.live ? "held by" : "lease expired, was"} ${q.worker}` : "";
          process.stdout.write(
            options.json
              ? `${JSON.stringify({ ...r, status, queue: q && q.status !== "done" ? q : null })}\n`
              : `${r.run_id} ${status.padEnd(8)} ${r.passed_steps}/${r.total_steps} steps  ${r.plan_name ?? r.application_url}  ${held}\n`,
          );
        }
      });
    });
  program
    .command("stop")
    .description(
      "stop a run after its current step, saving its state; a queued run leaves the queue; the worker holding a run carries the stop out, wherever it runs",
    )
    .argument("<run-id>", "a run's id, or a unique start of it")
    .option("--reason <text>", "why", "stopped by request")
    .action(async (given: string, options: { reason: string }) => {
      await withEngine(program.opts().config, async ({ engine, store }) => {
        const runId = await resolveRunId(store, given);
        const state = await engine.stop(runId, { reason: options.reason });
        process.stdout.write(`run ${runId} ${state.status}${state.stop?.resumable ? " (resumable)" : ""}\n`);
      });
    });
}
