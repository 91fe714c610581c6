import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

/**
 * A plan file's mistakes, as `testdriver run` reports them: each in words that say what to fix, exit 2, and
 * before anything opens (no store is created in the data directory).
 */
describe("testdriver run refuses a bad plan file before it starts", () => {
  const setup = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), "td-cli-plans-"));
    const file = join(dir, "plan.yaml");
    writeFileSync(file, `name: x\napplication_url: http://127.0.0.1:1\ntest_steps:\n${text}`);
    return { dir, file };
  };
  const run = (args: string[], dir: string, env: Record<string, string> = {}) =>
    runCli(args, { TESTDRIVER_DATA_DIR: dir, TESTDRIVER_LOG_LEVEL: "warn", ...env });
  const untouched = (dir: string) => expect(existsSync(join(dir, "pgdata"))).toBe(false);

  it("a misspelt key: the step, the key and the key meant", async () => {
    const { dir, file } = setup(
      '  - action: navigate\n    params: { url: /login }\n  - action: click\n    params:\n      taget: "#login-btn"\n',
    );
    const result = await run(["run", file], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `testdriver: invalid test plan ${file}:\n  - step 2 (test_steps[1].params, line 8): unknown key taget; did you mean target?\n`,
    );
    untouched(dir);
  });

  it("a YAML syntax error: once, with line, column and the snippet", async () => {
    const { dir, file } = setup("  - action: navigate\n    params: { url: /login\n  - action: click\n");
    const result = await run(["run", file], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.match(/Flow map/g)).toHaveLength(1);
    expect(result.stderr).toContain(
      "  - line 6, column 3: Flow map in block collection must be sufficiently indented and end with a }\n          params: { url: /login\n        - action: click\n        ^\n",
    );
    // No line of the error ends in a colon with nothing after it but the heading's.
    expect(result.stderr.split("\n").filter((l) => l.endsWith(":"))).toEqual([
      `testdriver: invalid test plan ${file}:`,
    ]);
    untouched(dir);
  });

  it("a missing file: not found, with the path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "td-cli-plans-"));
    const result = await run(["run", join(dir, "nope.yaml")], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`testdriver: plan file not found: ${join(dir, "nope.yaml")}\n`);
  });

  it("an ${env:X} that is not set: the variable and the step, before the run", async () => {
    const { dir, file } = setup(
      '  - action: navigate\n    params: { url: /login }\n  - action: type\n    params: { target: "#email", text: "${env:TD_TEST_UNSET_USER}" }\n',
    );
    const result = await run(["run", file], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "testdriver: step 2 (type-email) uses ${env:TD_TEST_UNSET_USER}, but TD_TEST_UNSET_USER is not set\nset TD_TEST_UNSET_USER in the environment; nothing ran\n",
    );
    untouched(dir);
  });

  it("an empty --app-version is refused, as the HTTP API refuses it", async () => {
    const { dir, file } = setup("  - action: navigate\n    params: { url: /login }\n");
    const result = await run(["run", file, "--app-version", ""], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "option '--app-version <version>' argument '' is invalid. must not be empty",
    );
    untouched(dir);
  });

  it("plan shows a plan file against its own application, not a placeholder", async () => {
    const { dir, file } = setup("  - action: navigate\n    params: { url: /login }\n");
    const result = await run(["plan", file], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("against http://127.0.0.1:1)");
    expect(result.stderr).toBe("");
  });
});
