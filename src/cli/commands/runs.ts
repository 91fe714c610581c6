import { type Command, InvalidArgumentError } from "commander";
import type { TestEngine } from "../../engine/engine.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import { runsProjection } from "../../projections/run-report/projection.js";
import { listRuns } from "../../projections/run-report/queries.js";
import { ProjectionRunner } from "../../projections/runner.js";
import { printProgress } from "../progress.js";
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
      .argument("<run-id>")
      .action(async (runId: string) => {
        await withEngine(program.opts().config, async ({ engine, blobs }, dataDir) => {
          engine.onProgress((event) => printProgress(event));
          const state = await go(engine, runId);
          process.stdout.write(await reportLines(dataDir, state, blobs));
          process.exitCode = state.status === "passed" ? 0 : 1;
        });
      });
  program
    .command("resume")
    .description("continue a stopped run, or one whose process died, from its last snapshot")
    .argument("<run-id>")
    .option(
      "--secret <name=value>",
      "a secret the run types: NAME is a secret step's id or an ${env:NAME} the plan uses (repeatable)",
      collectSecret,
      {},
    )
    .action(async (runId: string, options: { secret: Record<string, string> }) => {
      await withEngine(program.opts().config, async ({ engine, blobs }, dataDir) => {
        engine.onProgress((event) => printProgress(event));
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
    .argument("<run-id>")
    .option("--reason <text>", "why", "stopped by request")
    .action(async (runId: string, options: { reason: string }) => {
      await withEngine(program.opts().config, async ({ engine }) => {
        const state = await engine.stop(runId, { reason: options.reason });
        process.stdout.write(`run ${runId} ${state.status}${state.stop?.resumable ? " (resumable)" : ""}\n`);
      });
    });

  const heals = program.command("heals").description("heals of a run and their review");
  heals
    .command("list")
    .argument("<run-id>")
    .description("list a run's heals as JSON lines")
    .action(async (runId: string) => {
      await withEngine(program.opts().config, async ({ engine }) => {
        const state = await engine.details(runId);
        if (state.status === "none") throw new Error(`no run ${runId}`);
        for (const h of Object.values(state.healings)) {
          process.stdout.write(
            `${JSON.stringify({ healing_id: h.healing_id, step_id: h.step_id, decision: h.decision, confidence: h.confidence, successful: h.successful ?? null, old: h.old_locator?.selector ?? null, new: h.new_locator.selector, review: h.review ?? null })}\n`,
          );
        }
      });
    });
  heals
    .command("review")
    .argument("<run-id>")
    .argument("<healing-id>")
    .description("approve or reject a heal: approval makes it the learned locator, rejection bars it")
    .option("--approve", "approve the heal")
    .option("--reject", "reject the heal")
    .option("--reviewer <name>", "who reviews", process.env.USER ?? "cli")
    .option("--note <text>", "why")
    .action(
      async (
        runId: string,
        healingId: string,
        options: { approve?: boolean; reject?: boolean; reviewer: string; note?: string },
      ) => {
        if (options.approve === options.reject) throw new Error("give exactly one of --approve and --reject");
        await withEngine(program.opts().config, async ({ engine }) => {
          await engine.review(runId, healingId, {
            approved: options.approve === true,
            reviewer: options.reviewer,
            note: options.note,
          });
          process.stdout.write(`heal ${healingId} ${options.approve ? "approved" : "rejected"}\n`);
        });
      },
    );
}
