import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/load.js";
import { registerBackup } from "./commands/backup.js";
import { registerBench } from "./commands/bench.js";
import { registerConfig } from "./commands/config.js";
import { registerDemo } from "./commands/demo.js";
import { registerDrift } from "./commands/drift.js";
import { registerEvents } from "./commands/events.js";
import { registerExport } from "./commands/export.js";
import { registerKeys } from "./commands/keys.js";
import { registerMcp } from "./commands/mcp.js";
import { registerMigrate } from "./commands/migrate.js";
import { registerPlan } from "./commands/plan.js";
import { registerProjections } from "./commands/projections.js";
import { registerRelay } from "./commands/relay.js";
import { registerReliability } from "./commands/reliability.js";
import { BadInputError, PlanValidationError, registerRun } from "./commands/run.js";
import { registerRunControl } from "./commands/runs.js";
import { registerServe } from "./commands/serve.js";
import { registerWorker } from "./commands/worker.js";

/** Exit codes: 0 success, 1 a run or check failed, 2 bad input or configuration. */
export const EXIT_BAD_INPUT = 2;

export function buildProgram(): Command {
  const program = new Command("testdriver")
    .description("Autonomous, self-healing browser testing, event-sourced on PostgreSQL")
    .option("-c, --config <file>", "configuration file (default: ./testdriver.config.yaml if present)")
    .showHelpAfterError()
    .exitOverride();
  registerMigrate(program);
  registerEvents(program);
  registerConfig(program);
  registerBench(program);
  registerPlan(program);
  registerRun(program);
  registerRunControl(program);
  registerDemo(program);
  registerProjections(program);
  registerReliability(program);
  registerServe(program);
  registerWorker(program);
  registerMcp(program);
  registerKeys(program);
  registerDrift(program);
  registerExport(program);
  registerRelay(program);
  registerBackup(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    }
    if (
      error instanceof ConfigError ||
      error instanceof PlanValidationError ||
      error instanceof BadInputError
    ) {
      process.stderr.write(`testdriver: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    process.stderr.write(`testdriver: ${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
