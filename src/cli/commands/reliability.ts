import type { Command } from "commander";
import { READ_MODELS } from "../../projections/read-models.js";
import { reliabilityScores } from "../../projections/reliability.js";
import { ProjectionRunner } from "../../projections/runner.js";
import { loadRuntime, openStore } from "../../runtime.js";

export function registerReliability(program: Command) {
  program
    .command("reliability")
    .description("reliability scores per test, page and adapter, as JSON lines (formula in the README)")
    .option("--plan <plan-id>", "only runs of this plan")
    .action(async (options: { plan?: string }) => {
      const { store } = await openStore(loadRuntime(program.opts().config));
      try {
        await new ProjectionRunner(store, READ_MODELS).catchUp();
        for (const score of await reliabilityScores(store.db, { planId: options.plan })) {
          process.stdout.write(`${JSON.stringify(score)}\n`);
        }
      } finally {
        await store.close();
      }
    });
}
