import { Command, Help } from "commander";
import { didYouMean } from "../domain/spelling.js";
import { VERSION } from "../version.js";
import { COMMAND_GROUPS, INDEXED, indexedCommand } from "./command-index.js";

/** A first word that names no command: one line with the near misses, not the whole help. */
export class UnknownCommandError extends Error {
  override readonly name = "UnknownCommandError";
  /** Exit 2, as any input the caller has to fix (src/domain/errors.ts). */
  readonly code = "invalid_input";
  constructor(word: string) {
    super(
      `unknown command '${word}'.${didYouMean(
        word,
        INDEXED.map((c) => c.name),
      )}\nThe commands: testdriver --help`,
    );
  }
}

/** The command a command line names: its first word that is not an option (or an option's value). */
export function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-c" || arg === "--config") i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return undefined;
}

/** `help` and `help COMMAND` said the other way, so that only the named command's module loads. */
export function withoutHelpWord(argv: readonly string[]): string[] {
  const args = argv.slice(2);
  if (commandOf(args) !== "help") return [...argv];
  const at = args.indexOf("help");
  const rest = args.slice(at + 1);
  return [...argv.slice(0, 2), ...args.slice(0, at), ...rest, "--help"];
}

/** The index as help shows it: groups of commands, each on one line. */
export function commandList(): string {
  const term = (c: { name: string; args: string }) => (c.args ? `${c.name} ${c.args}` : c.name);
  const width = Math.max(...INDEXED.map((c) => term(c).length)) + 2;
  const groups = COMMAND_GROUPS.map(
    (g) => `${g.title}:\n${g.commands.map((c) => `  ${term(c).padEnd(width)}${c.summary}`).join("\n")}`,
  );
  return `\n${groups.join("\n\n")}\n\nA command's options and arguments: testdriver COMMAND --help\n`;
}

/**
 * The program with the command a command line names, and only that one: nothing else is imported. Without
 * a command, the program shows the index (COMMAND_GROUPS) as its help.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("testdriver")
    .description("Autonomous, self-healing browser testing, event-sourced on PostgreSQL")
    .usage("[options] <command> ...")
    .version(VERSION, "-V, --version", "print the version")
    .option("-c, --config <file>", "configuration file (default: ./testdriver.config.yaml if present)")
    .helpOption("-h, --help", "show this help")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    // The root lists the index, grouped; a command's own subcommands are listed as usual.
    .configureHelp({
      visibleCommands(this: Help, cmd: Command) {
        return cmd.parent ? Help.prototype.visibleCommands.call(this, cmd) : [];
      },
    })
    .addHelpText("after", commandList());
  const name = commandOf(argv.slice(2));
  if (name === undefined) {
    // A bare `testdriver` shows what there is, as an error (exit 2): it did nothing.
    program.action(() => program.help({ error: true }));
    return program;
  }
  const command = indexedCommand(name);
  if (!command) throw new UnknownCommandError(name);
  (await command.load())(program);
  return program;
}
