import type { Command } from "commander";
import { redact } from "../../adapters/eventstore/open.js";
import { loadRuntime, openStore } from "../../runtime.js";

export function registerMigrate(program: Command) {
  program
    .command("migrate")
    .description("apply pending database migrations and report the extensions in use")
    .action(async () => {
      const runtime = loadRuntime(program.opts().config);
      const { store, migrations } = await openStore(runtime, { migrate: true });
      await store.close();
      const where =
        runtime.config.store.kind === "postgres"
          ? redact(runtime.config.store.databaseUrl!)
          : `${runtime.config.store.dataDir} (embedded)`;
      process.stdout.write(`${JSON.stringify({ store: runtime.config.store.kind, where, ...migrations })}\n`);
    });
}
