import { type Command, InvalidArgumentError } from "commander";
import { type DemoApps, runDemo, startDemoApps } from "../../demo/bundled.js";
import { serveBanner } from "../../http/banner.js";
import { startServer } from "../../http/serve.js";
import { loadRuntime, openEngine } from "../../runtime.js";
import { startWorker, untilSignal } from "./worker.js";

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("must be a port from 0 to 65535");
  return n;
};

export function registerServe(program: Command) {
  program
    .command("serve")
    .description(
      "serve the HTTP API and the web console (and keep the read models up to date) until SIGINT or SIGTERM",
    )
    .option("--port <port>", "port (default: server.port, 8080; 0 picks a free one)", port)
    .option("--host <host>", "address to listen on (default: server.host, 127.0.0.1)")
    .option(
      "--demo",
      "also serve the demo app (Listly v1 and v2) and run the demo plan against both, so the console has runs, heals and baselines to show",
    )
    .option(
      "--no-worker",
      "serve the API only: runs wait in the queue for `testdriver worker` processes (default: this process runs a worker too)",
    )
    .action(async (options: { port?: number; host?: string; demo?: boolean; worker: boolean }) => {
      const runtime = loadRuntime(program.opts().config);
      const engine = await openEngine(runtime, { executes: options.worker });
      const worker = options.worker ? startWorker(engine, runtime) : undefined;
      let server: Awaited<ReturnType<typeof startServer>>;
      let demo: DemoApps | undefined;
      try {
        demo = options.demo ? await startDemoApps() : undefined;
        server = await startServer(engine, runtime.config, runtime.logger, {
          host: options.host,
          port: options.port,
          bundledPlans: demo ? [demo.bundled] : [],
        });
      } catch (error) {
        await demo?.close();
        await worker?.stop();
        await engine.close();
        throw error;
      }
      for (const line of serveBanner(server)) process.stdout.write(`${line}\n`);
      let demoRuns: Promise<unknown> = Promise.resolve();
      if (demo) {
        process.stdout.write(
          `demo: Listly 1.0 at ${demo.v1.url}, 2.0 at ${demo.v2.url}; running the demo plan on both\n`,
        );
        demoRuns = runDemo(engine.engine, demo, { captureBaselines: true }).catch((error) =>
          runtime.logger.error({ err: error }, "the demo runs failed"),
        );
      }
      await untilSignal(
        runtime,
        "shutting down: running tests stop after their current step and go back to the queue",
      );
      await worker?.handOff();
      await server.close();
      await demoRuns;
      await demo?.close();
      await engine.close();
    });
}
