import type { Command } from "commander";
import type { TestEngine } from "../../engine/engine.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import { printProgress } from "../progress.js";
import { reportLines, withEngine } from "./run.js";

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
  continuing("resume", "continue a stopped run, or one whose process died, from its last snapshot", (e, id) =>
    e.resume(id),
  );
  continuing(
    "heal",
    "re-run a failed run from its first failed step, healing locators that no longer match",
    (e, id) => e.heal(id),
  );

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
