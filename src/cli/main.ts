import { CommanderError } from "commander";
import { classifyError } from "../domain/errors.js";
import { buildProgram, withoutHelpWord } from "./program.js";

export async function main(given: string[]): Promise<number> {
  try {
    const argv = withoutHelpWord(given);
    await (await buildProgram(argv)).parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    // Help and --version end the parse the same way errors do, with exit code 0.
    if (error instanceof CommanderError && error.exitCode === 0) return 0;
    // The exit status is the error kind's, from the one table (src/domain/errors.ts).
    const { exit, message } = classifyError(error);
    // Commander has already printed its own errors, with a pointer to --help.
    if (!(error instanceof CommanderError)) process.stderr.write(`testdriver: ${message}\n`);
    return exit;
  }
}

process.exitCode = await main(process.argv);
