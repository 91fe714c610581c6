import type { Command } from "commander";
import { READ_MODELS } from "../../projections/read-models.js";
import { ProjectionRunner } from "../../projections/runner.js";
import { loadRuntime, openStore } from "../../runtime.js";

export function registerProjections(program: Command) {
  const projections = program.command("projections").description("the read models built from the event log");
  projections
    .command("rebuild")
    .argument("[name]", `one projection (${READ_MODELS.map((p) => p.name).join(", ")}); all when omitted`)
    .description("empty read models and re-fold them from the start of the log")
    .action(async (name: string | undefined) => {
      const { store } = await openStore(loadRuntime(program.opts().config));
      try {
        const runner = new ProjectionRunner(store, READ_MODELS);
        await runner.rebuild(name);
        for (const status of await runner.status()) process.stdout.write(`${JSON.stringify(status)}\n`);
      } finally {
        await store.close();
      }
    });
  projections
    .command("status")
    .description("each projection's checkpoint, the log's head, and the lag between them, as JSON lines")
    .option("--catch-up", "apply what is pending first")
    .action(async (options: { catchUp?: boolean }) => {
      const { store } = await openStore(loadRuntime(program.opts().config));
      try {
        const runner = new ProjectionRunner(store, READ_MODELS);
        if (options.catchUp) await runner.catchUp();
        for (const status of await runner.status()) process.stdout.write(`${JSON.stringify(status)}\n`);
      } finally {
        await store.close();
      }
    });
}
