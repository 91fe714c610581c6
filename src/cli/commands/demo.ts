import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { serveDemo } from "../../demo/app.js";
import { parsePlan } from "../../domain/plan/parse.js";
import { printProgress } from "../progress.js";
import { reportLines, withEngine } from "./run.js";

export const DEMO_PLAN = fileURLToPath(new URL("../../../demo/todo-plan.yaml", import.meta.url));

export function registerDemo(program: Command) {
  program
    .command("demo")
    .description(
      "serve the demo app in two versions, run the bundled plan against v1, then v2, and show the heals",
    )
    .action(async () => {
      const v1 = await serveDemo(1);
      const v2 = await serveDemo(2);
      try {
        await withEngine(program.opts().config, async ({ engine, blobs }, dataDir) => {
          engine.onProgress((event) => printProgress(event));
          const text = readFileSync(DEMO_PLAN, "utf8");
          let allPassed = true;
          for (const [version, app] of [
            ["1.0", v1],
            ["2.0", v2],
          ] as const) {
            const plan = { ...parsePlan(text, DEMO_PLAN), application_url: app.url };
            process.stderr.write(`\nListly ${version} at ${app.url}\n`);
            const state = await engine.run({ plan, applicationVersion: version, requestedBy: "demo" });
            allPassed &&= state.status === "passed";
            process.stdout.write(`\nListly ${version}: ${await reportLines(dataDir, state, blobs)}`);
            const heals = Object.values(state.healings);
            if (heals.length > 0) {
              process.stdout.write("heals:\n");
              for (const h of heals) {
                process.stdout.write(
                  `  ${h.step_id}: ${h.old_locator?.selector ?? "?"} -> ${h.new_locator.selector}  confidence ${h.confidence} (${h.decision}${h.successful ? ", verified" : h.successful === false ? ", failed" : ""})\n`,
                );
              }
              process.stdout.write(
                `review: testdriver heals review ${state.run_id} <healing-id> --approve   (ids: testdriver heals list ${state.run_id})\n`,
              );
            }
          }
          process.exitCode = allPassed ? 0 : 1;
        });
      } finally {
        await v1.close();
        await v2.close();
      }
    });
}
