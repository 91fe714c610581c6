import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { ALL_LOADERS, INDEXED } from "../../src/cli/command-index.js";
import { closestWords } from "../../src/domain/spelling.js";
import { runCli } from "../support/cli.js";

const ROOT = join(import.meta.dirname, "../..");
const VERSION = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;

/** The project's modules a command line of the built CLI loads (tests/support/loaded-modules.mjs). */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const { stderr } = await promisify(execFile)(
    process.execPath,
    ["--import", join(ROOT, "tests/support/loaded-modules.mjs"), join(ROOT, "dist/cli/main.js"), ...args],
    { env: { PATH: process.env.PATH, HOME: process.env.HOME } },
  );
  return [...stderr.matchAll(/^loaded file:\/\/(.+)$/gm)].map((m) => m[1]!.slice(ROOT.length + 1));
}

/** The command names of `--help`, in the order it lists them. */
const listed = (help: string) =>
  [...help.matchAll(/^ {2}([a-z]+)(?: \S+)? {2,}\S/gm)].map((m) => m[1]!).filter((n) => n !== "h");

describe("testdriver --version, --help and typos", () => {
  it("--version and -V print the package's version", async () => {
    for (const flag of ["--version", "-V"]) {
      const result = await runCli([flag]);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`${VERSION}\n`);
    }
  });

  it("--help lists the commands a newcomer needs first, operations last, in lines that fit 80 columns", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    const names = listed(result.stdout);
    expect(names.slice(0, 12)).toEqual([
      "run",
      "demo",
      "plan",
      "runs",
      "heals",
      "resume",
      "heal",
      "stop",
      "export",
      "serve",
      "worker",
      "mcp",
    ]);
    expect(names.slice(-7)).toEqual([
      "migrate",
      "events",
      "config",
      "bench",
      "backup",
      "restore",
      "projections",
    ]);
    expect(new Set(names)).toEqual(new Set(INDEXED.map((c) => c.name)));
    for (const line of result.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it("--help loads no command's module; a command line loads its own module only", async () => {
    const help = await modulesLoadedBy(["--help"]);
    expect(help).toContain("dist/cli/command-index.js");
    expect(help.filter((m) => m.startsWith("dist/cli/commands/") || m === "dist/runtime.js")).toEqual([]);
    const runHelp = await modulesLoadedBy(["run", "--help"]);
    expect(runHelp.filter((m) => m.startsWith("dist/cli/commands/"))).toEqual(["dist/cli/commands/run.js"]);
  });

  it("a typo is one line with the near miss and a pointer to --help, exit 2", async () => {
    const result = await runCli(["rn"]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      "testdriver: unknown command 'rn'. Did you mean run?\nThe commands: testdriver --help\n",
    );
    const far = await runCli(["frobnicate"]);
    expect(far.code).toBe(2);
    expect(far.stderr).toBe("testdriver: unknown command 'frobnicate'.\nThe commands: testdriver --help\n");
  });

  it("help COMMAND is COMMAND --help; a subcommand's error ends with a pointer, not the help", async () => {
    const help = await runCli(["help", "heals"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: testdriver heals");
    const missing = await runCli(["heals", "review"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("error: missing required argument 'run-id'\n(add --help for usage)\n");
  });
});

describe("the command index", () => {
  it("names every command the modules register, each with its arguments or subcommands", async () => {
    const program = new Command();
    for (const load of ALL_LOADERS) (await load())(program);
    const actual = program.commands.map((c) => {
      const args = c.commands.length
        ? c.commands.map((s) => s.name()).join("|")
        : c.registeredArguments
            .map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}${a.variadic ? "..." : ""}]`))
            .join(" ");
      return `${c.name()} ${args}`.trim();
    });
    const indexed = INDEXED.map((c) => `${c.name} ${c.args}`.trim());
    expect(indexed.toSorted()).toEqual(actual.toSorted());
  });

  it("suggests the near misses of a word, and nothing for a word that is not close", () => {
    const names = INDEXED.map((c) => c.name);
    expect(closestWords("rn", names)).toEqual(["run"]);
    expect(closestWords("exprot", names)).toEqual(["export"]);
    expect(closestWords("taget", ["target", "text", "timeout"])).toEqual(["target"]);
    expect(closestWords("frobnicate", names)).toEqual([]);
  });
});
