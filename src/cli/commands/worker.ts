import { type Command, InvalidArgumentError } from "commander";
import { Worker } from "../../engine/queue/worker.js";
import { type EngineRuntime, loadRuntime, openEngine, type Runtime } from "../../runtime.js";
import { printProgress } from "../progress.js";

const slots = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new InvalidArgumentError("must be a whole number from 1 to 100");
  return n;
};

/** A worker on the engine's queue: as many runs at once as the browser pool allows, unless told fewer. */
export function startWorker(
  engine: EngineRuntime,
  runtime: Runtime,
  options: { slots?: number; report?: boolean } = {},
): Worker {
  const leases = engine.engine.leases;
  if (!leases) throw new Error("this engine has no run queue");
  return new Worker({
    engine: engine.engine,
    leases,
    slots: options.slots ?? runtime.config.browser.maxSessions,
    logger: runtime.logger,
    ended: options.report
      ? (details, claim) => {
          const over = claim.previous_worker ? ` (taken over from ${claim.previous_worker})` : "";
          process.stdout.write(`run ${claim.run_id} ${details?.status ?? "handed back"}${over}\n`);
        }
      : undefined,
  }).start();
}

/** Resolves once this worker runs nothing and no run waits in the queue or is held elsewhere. */
async function idle(engine: EngineRuntime, worker: Worker): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (worker.busy === 0 && (await engine.engine.leases!.queue.pending(1)).length === 0) return;
  }
}

/** Resolves on SIGINT or SIGTERM. */
export function untilSignal(runtime: Runtime, what: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      runtime.logger.info({ signal }, what);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

export function registerWorker(program: Command) {
  program
    .command("worker")
    .description(
      "claim runs from the queue in the database and execute them, and nothing else (no HTTP API), until SIGINT or SIGTERM; a run whose worker died is taken over once its lease runs out",
    )
    .option("--slots <n>", "runs at once (default: browser.maxSessions, TESTDRIVER_MAX_SESSIONS)", slots)
    .option("--progress", "print each finished step on stderr")
    .option("--exit-when-idle", "exit once no run is queued or held by any worker (a batch job)")
    .action(async (options: { slots?: number; progress?: boolean; exitWhenIdle?: boolean }) => {
      const runtime = loadRuntime(program.opts().config);
      const engine = await openEngine(runtime);
      if (options.progress) engine.engine.onProgress((event) => printProgress(event));
      const worker = startWorker(engine, runtime, { slots: options.slots, report: true });
      process.stdout.write(
        `testdriver worker ${worker.name}: up to ${options.slots ?? runtime.config.browser.maxSessions} runs at once, lease ${runtime.config.store.leaseTtlMs} ms\n`,
      );
      const stopping = untilSignal(
        runtime,
        "shutting down: running tests stop after their current step and go back to the queue",
      );
      if (options.exitWhenIdle) await Promise.race([stopping, idle(engine, worker)]);
      else await stopping;
      await worker.handOff();
      await engine.close();
    });
}
