import type { Command } from "commander";
import { runDemo, startDemoApps } from "../../demo/bundled.js";
import { printProgress } from "../progress.js";
import { reportLines, withEngine } from "./run.js";

export function registerDemo(program: Command) {
  program
    .command("demo")
    .description(
      "serve the demo app in two versions, run the bundled plan against v1, then v2, and show the heals",
    )
    .action(async () => {
      const apps = await startDemoApps();
      try {
        await withEngine(program.opts().config, async ({ engine, blobs }, dataDir) => {
          engine.onProgress((event) => printProgress(event));
          const states = await runDemo(engine, apps, {
            onRun: (version, url) => process.stderr.write(`\nListly ${version} at ${url}\n`),
          });
          for (const [i, state] of states.entries()) {
            process.stdout.write(
              `\nListly ${i === 0 ? "1.0" : "2.0"}: ${await reportLines(dataDir, state, blobs)}`,
            );
            const heals = Object.values(state.healings);
            if (heals.length > 0) {
              process.stdout.write("heals:\n");
              for (const h of heals) {
                process.stdout.write(
                  `  ${h.step_id}: ${h.old_locator?.selector ?? "?"} -> ${h.new_locator.selector}  confidence ${h.confidence} (${h.decision}${h.successful ? ", verified" : h.successful === false ? ", failed" : ""})\n`,
                );
              }
              process.stdout.write(
                `review: testdriver serve, then Heal review at http://127.0.0.1:8080/ ; or testdriver heals review ${state.run_id} <healing-id> --approve   (ids: testdriver heals list ${state.run_id})\n`,
              );
            }
          }
          process.exitCode = states.every((s) => s.status === "passed") ? 0 : 1;
        });
      } finally {
        await apps.close();
      }
    });
}
