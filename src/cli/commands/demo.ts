import type { Command } from "commander";
import { serveDemo } from "../../demo/app.js";
import { runDemo, startDemoApps } from "../../demo/bundled.js";
import { InputError } from "../../domain/errors.js";
import { printProgress } from "../progress.js";
import { reportLines, withEngine } from "./run.js";

export function registerDemo(program: Command) {
  program
    .command("demo")
    .description(
      "serve the demo app in two versions, run the bundled plan against v1, then v2, and show the heals",
    )
    .option("--serve-only", "only serve Listly v1 and v2 until Ctrl-C (to run an exported demo test against)")
    .option("--port <port>", "with --serve-only: v1's port (v2 takes the next one)", parsePort)
    .action(async (options: { serveOnly?: boolean; port?: number }) => {
      if (options.serveOnly) return serveOnly(options.port ?? 0);
      if (options.port !== undefined) throw new InputError("--port", "only with --serve-only");
      const apps = await startDemoApps();
      try {
        await withEngine(
          program.opts().config,
          async ({ engine, blobs }, dataDir) => {
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
                const run = String(state.run_id).slice(0, 8);
                process.stdout.write(
                  `review: testdriver heals list ${run}, then testdriver heals review ${run} --all --approve (or one heal: heals review ${run} HEAL --approve); or testdriver serve, then Heal review at http://127.0.0.1:8080/\n`,
                );
              }
            }
            process.exitCode = states.every((s) => s.status === "passed") ? 0 : 1;
          },
          { announce: true },
        );
      } finally {
        await apps.close();
      }
    });
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65534) {
    throw new InputError("--port", `expected a port from 1 to 65534, got "${text}"`);
  }
  return port;
}

/** Listly alone, on fixed ports when asked, so an exported demo run has something to run against. */
async function serveOnly(port: number): Promise<void> {
  const v1 = await serveDemo(1, port);
  const v2 = await serveDemo(2, port === 0 ? 0 : port + 1);
  process.stdout.write(`Listly 1.0 at ${v1.url}\nListly 2.0 at ${v2.url}\n`);
  process.stderr.write(
    `sign in as alice@example.com / correct horse battery; an exported demo test runs with TESTDRIVER_BASE_URL=${v1.url}\nCtrl-C to stop\n`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await Promise.all([v1.close(), v2.close()]);
}
