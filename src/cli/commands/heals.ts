import type { Command } from "commander";
import { InputError, NotFoundError } from "../../domain/errors.js";
import type { HealingDetails } from "../../projections/run-report/details-model.js";
import { withEngine } from "../engine-session.js";
import { awaitsReview, healTable, shortId } from "../heal-table.js";
import { resolveRunId, uniqueStart } from "../run-ids.js";

/** Heals in the order the run made them. */
const inOrder = (healings: Record<string, HealingDetails>) =>
  Object.values(healings).sort((a, b) => a.index - b.index || a.at.localeCompare(b.at));

export function registerHeals(program: Command) {
  const heals = program.command("heals").description("heals of a run and their review");
  heals
    .command("list")
    .argument("<run-id>", "a run's id, or a unique start of it")
    .description("list a run's heals: id, step, old and new locator, confidence, what became of it")
    .option("--json", "one JSON line per heal, for scripts")
    .action(async (given: string, options: { json?: boolean }) => {
      await withEngine(program.opts().config, async ({ engine, store }) => {
        const runId = await resolveRunId(store, given);
        const state = await engine.details(runId);
        if (state.status === "none") throw new NotFoundError(`no run ${runId}`);
        const all = inOrder(state.healings);
        if (!options.json) return void process.stdout.write(healTable(all));
        for (const h of all) {
          process.stdout.write(
            `${JSON.stringify({ healing_id: h.healing_id, step_id: h.step_id, decision: h.decision, confidence: h.confidence, successful: h.successful ?? null, old: h.old_locator?.selector ?? null, new: h.new_locator.selector, review: h.review ?? null })}\n`,
          );
        }
      });
    });
  heals
    .command("review")
    .argument("<run-id>", "a run's id, or a unique start of it")
    .argument("[healing-id]", "a heal's id, or a unique start of it (heals list shows them)")
    .description(
      "approve or reject a heal, or with --all every heal of the run that awaits review: approval makes it the learned locator, rejection bars it",
    )
    .option("--approve", "approve")
    .option("--reject", "reject")
    .option("--all", "every heal of the run that awaits review")
    .option("--reviewer <name>", "who reviews", process.env.USER ?? "cli")
    .option("--note <text>", "why")
    .action(
      async (
        givenRun: string,
        givenHeal: string | undefined,
        options: { approve?: boolean; reject?: boolean; all?: boolean; reviewer: string; note?: string },
      ) => {
        if (options.approve === options.reject)
          throw new InputError("--approve/--reject", "give exactly one");
        if (Boolean(options.all) === (givenHeal !== undefined))
          throw new InputError("healing-id", "give a heal's id (or its start), or --all, not both");
        await withEngine(program.opts().config, async ({ engine, store }) => {
          const runId = await resolveRunId(store, givenRun);
          const state = await engine.details(runId);
          if (state.status === "none") throw new NotFoundError(`no run ${runId}`);
          const all = inOrder(state.healings);
          const chosen = options.all
            ? all.filter(awaitsReview)
            : [
                uniqueStart(givenHeal!, all, (h) => h.healing_id, {
                  what: "heal",
                  label: (h) => `${h.step_id}  ${h.old_locator?.selector ?? "?"} → ${h.new_locator.selector}`,
                  whereIds: `testdriver heals list ${shortId(runId)} lists them`,
                }),
              ];
          if (chosen.length === 0) process.stdout.write(`run ${runId} has no heal awaiting review\n`);
          const verdict = options.approve ? "approved" : "rejected";
          for (const h of chosen) {
            await engine.review(runId, h.healing_id, {
              approved: options.approve === true,
              reviewer: options.reviewer,
              note: options.note,
            });
            process.stdout.write(`heal ${shortId(h.healing_id)} (${h.step_id}) ${verdict}\n`);
          }
        });
      },
    );
}
