import { CommanderError, InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/load.js";
import { BaselineRefused } from "../../src/domain/drift/baseline.js";
import {
  classifyError,
  ERROR_KINDS,
  type ErrorKind,
  InputError,
  NotFoundError,
} from "../../src/domain/errors.js";
import { GherkinError } from "../../src/domain/gherkin/parse.js";
import { ScriptsDisabledError, UrlRefusedError } from "../../src/domain/network/errors.js";
import { PlanValidationError } from "../../src/domain/plan/parse.js";
import { RequirementsError } from "../../src/domain/planner/requirements-plan.js";
import { RunRuleError } from "../../src/domain/run/rules.js";
import { ResumeSecretsError } from "../../src/engine/resume/secrets.js";
import { errorResult, ToolError } from "../../src/mcp/tool.js";

const textOf = (r: ReturnType<typeof errorResult>) => (r.content[0] as { text: string }).text;

/** A real error of each kind, as the code that raises it builds it. */
const RAISED: [ErrorKind, Error][] = [
  ["invalid_input", new InputError("at", "not a time")],
  ["invalid_input", new ConfigError(["TESTDRIVER_MCP_MAX_SESSIONS: a whole number"])],
  ["invalid_input", new ResumeSecretsError([{ key: "pw", problem: "missing" }] as never, "missing")],
  ["invalid_input", new InvalidArgumentError("must be a whole number")],
  ["invalid_input", new CommanderError(1, "commander.unknownOption", "unknown option")],
  ["invalid_plan", new PlanValidationError("plan.yaml", [])],
  ["invalid_plan", new RequirementsError("a sentence is not understood")],
  ["invalid_plan", new GherkinError("f.feature", 3, "a step before a scenario")],
  ["url_refused", new UrlRefusedError("http://example.org/", "not an allowed host")],
  ["scripts_disabled", new ScriptsDisabledError()],
  ["forbidden", new ToolError("this key is a viewer", "forbidden")],
  ["not_found", new RunRuleError("no_run", "no such run")],
  ["not_found", new NotFoundError("no baseline x")],
  ["conflict", new RunRuleError("wrong_status", "the run is passed")],
  ["conflict", new BaselineRefused("not approved")],
  ["internal", new TypeError("boom")],
];

describe("every error kind maps to each edge from the one table", () => {
  it.each(Object.entries(ERROR_KINDS))(
    "%s: an HTTP error status, an exit status and an MCP isError result",
    (kind, row) => {
      expect(row.http).toBeGreaterThanOrEqual(400);
      expect(row.http).toBeLessThan(600);
      // 0 is success and 3 is drift (a result, not an error): the CLI's promise.
      expect([1, 2]).toContain(row.exit);
      const classified = classifyError(new ToolError(`something about ${kind}`, kind as ErrorKind));
      expect(classified).toMatchObject({ kind, http: row.http, exit: row.exit });
      const result = errorResult(new ToolError(`something about ${kind}`, kind as ErrorKind), "a_tool");
      expect(result.isError).toBe(true);
      const said = kind === "internal" ? `a_tool failed: something about ${kind}` : `something about ${kind}`;
      expect(textOf(result)).toBe(`[${kind}] ${said} Next: ${row.next}`);
    },
  );

  it.each(RAISED.map(([kind, e]) => [e.name, kind, e] as const))(
    "%s is %s everywhere",
    (_name, kind, error) => {
      const classified = classifyError(error);
      expect(classified.kind).toBe(kind);
      expect(classified.http).toBe(ERROR_KINDS[kind].http);
      expect(classified.exit).toBe(ERROR_KINDS[kind].exit);
      const text = textOf(errorResult(error, "a_tool"));
      expect(text.startsWith(`[${classified.code}] `)).toBe(true);
      expect(text).toMatch(/ Next: \S/);
    },
  );

  it("is chosen by name and code, never by the message", () => {
    const looksRefused = new Error("navigation to http://x/ refused: not an allowed host");
    expect(classifyError(looksRefused).kind).toBe("internal");
    expect(textOf(errorResult(looksRefused, "start_test"))).toMatch(/^\[internal\] start_test failed: /);
    const missing = new RunRuleError("no_run", "the run is passed");
    expect(classifyError(missing).kind).toBe("not_found");
    expect(textOf(errorResult(missing, "stop_test"))).toContain("Next: Call list_tests");
  });
});
