import { Command, CommanderError } from "commander";
import { classifyError } from "../domain/errors.js";

type Register = (program: Command) => void;

/**
 * Each command's module with the names it registers. A command line loads only the module of its
 * command (a store, a browser or a model client weigh seconds); help without a command loads them all.
 */
const COMMANDS: { names: string[]; load: () => Promise<Register> }[] = [
  { names: ["migrate"], load: async () => (await import("./commands/migrate.js")).registerMigrate },
  { names: ["events"], load: async () => (await import("./commands/events.js")).registerEvents },
  { names: ["config"], load: async () => (await import("./commands/config.js")).registerConfig },
  { names: ["bench"], load: async () => (await import("./commands/bench.js")).registerBench },
  { names: ["plan"], load: async () => (await import("./commands/plan.js")).registerPlan },
  { names: ["run"], load: async () => (await import("./commands/run.js")).registerRun },
  {
    names: ["resume", "heal", "heals", "runs", "stop"],
    load: async () => (await import("./commands/runs.js")).registerRunControl,
  },
  { names: ["demo"], load: async () => (await import("./commands/demo.js")).registerDemo },
  {
    names: ["projections"],
    load: async () => (await import("./commands/projections.js")).registerProjections,
  },
  {
    names: ["reliability"],
    load: async () => (await import("./commands/reliability.js")).registerReliability,
  },
  { names: ["serve"], load: async () => (await import("./commands/serve.js")).registerServe },
  { names: ["worker"], load: async () => (await import("./commands/worker.js")).registerWorker },
  { names: ["mcp"], load: async () => (await import("./commands/mcp.js")).registerMcp },
  { names: ["keys"], load: async () => (await import("./commands/keys.js")).registerKeys },
  { names: ["baseline", "drift"], load: async () => (await import("./commands/drift.js")).registerDrift },
  { names: ["export"], load: async () => (await import("./commands/export.js")).registerExport },
  { names: ["relay", "consume"], load: async () => (await import("./commands/relay.js")).registerRelay },
  { names: ["backup", "restore"], load: async () => (await import("./commands/backup.js")).registerBackup },
];

/** The command a command line names: its first word that is not an option (or an option's value). */
function commandOf(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-c" || arg === "--config") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/** The program with the commands a command line needs (all of them when `argv` is not given). */
export async function buildProgram(argv?: string[]): Promise<Command> {
  const program = new Command("testdriver")
    .description("Autonomous, self-healing browser testing, event-sourced on PostgreSQL")
    .option("-c, --config <file>", "configuration file (default: ./testdriver.config.yaml if present)")
    .showHelpAfterError()
    .exitOverride();
  const name = argv ? commandOf(argv.slice(2)) : undefined;
  const wanted = COMMANDS.filter((c) => name !== undefined && c.names.includes(name));
  for (const register of await Promise.all((wanted.length > 0 ? wanted : COMMANDS).map((c) => c.load())))
    register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    // Help and --version end the parse the same way errors do, with exit code 0.
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    // The exit status is the error kind's, from the one table (src/domain/errors.ts).
    const { exit, message } = classifyError(error);
    // Commander has already printed its own errors, with the usage.
    if (!(error instanceof CommanderError)) process.stderr.write(`testdriver: ${message}\n`);
    return exit;
  }
}

process.exitCode = await main(process.argv);
