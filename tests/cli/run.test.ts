import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { browsersAvailable } from "../support/browsers.js";
import { runCli, runProgram } from "../support/cli.js";
import { startOpenAIServer } from "../support/openai-server.js";

const run = (args: string[], dataDir: string) =>
  runCli(args, {
    TESTDRIVER_DATA_DIR: dataDir,
    TESTDRIVER_LOG_LEVEL: "warn",
    TESTDRIVER_STEP_TIMEOUT_MS: "4000",
  });
const plan = join(import.meta.dirname, "../../demo/todo-plan.yaml");

describe.runIf(browsersAvailable)("testdriver run and demo", () => {
  let v1: RunningDemo;
  beforeAll(async () => {
    v1 = await serveDemo(1);
  });
  afterAll(() => v1?.close());
  const dataDir = () => mkdtempSync(join(tmpdir(), "td-cli-run-"));

  it("runs a plan file: progress on stderr, summary and report on stdout, exit 0", async () => {
    const dir = dataDir();
    const result = await run(["run", plan, "--url", v1.url, "--app-version", "1.0"], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("✓ [4/13] Click Sign in button");
    expect(result.stdout).toMatch(/run [0-9a-f-]{36} passed: 13 passed, 0 healed, 0 failed, 0 skipped/);
    const reportPath = /json: (.+\.json)/.exec(result.stdout)![1]!;
    expect(result.stdout).toMatch(/report: .+\.html\n/);
    expect(result.stdout).toMatch(/junit: .+\.junit\.xml\n/);
    expect(reportPath.startsWith(dir)).toBe(true);
    const report = JSON.parse(readFileSync(reportPath, "utf8"));
    expect(report).toMatchObject({
      schema_version: 1,
      status: "passed",
      application_version: "1.0",
      summary: { total: 13, passed: 13, pass_rate: 1 },
    });
    expect(JSON.stringify(report)).not.toContain("correct horse battery");

    const exported = await run(["export", report.run_id], dir);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('await page.locator("#login-btn").click();');
    expect(exported.stdout).toContain('requiredEnv("TESTDRIVER_SECRET_TYPE_PASSWORD_FIELD")');
    // A folder written far from this project runs there on its own: its package.json brings the test
    // runner (the registry is asked only for the versions; the packages come from the cache `npm ci` filled),
    // its config finds the spec.
    const folder = mkdtempSync(join(tmpdir(), "td-export-"));
    const written = await run(["export", report.run_id, "--dir", folder], dir);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toContain(`cd ${folder} && npm install && npx playwright test`);
    const npm = await runProgram("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], folder);
    expect(npm.code, npm.output).toBe(0);
    const tested = await runProgram("npx", ["playwright", "test", "--workers=1"], folder, {
      TESTDRIVER_BASE_URL: v1.url,
      TESTDRIVER_SECRET_TYPE_PASSWORD_FIELD: "correct horse battery",
    });
    expect(tested.code, tested.output).toBe(0);
    expect(tested.output).toMatch(/1 passed/);
    const unknown = await run(["export", "00000000-0000-4000-8000-000000000000"], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no run 00000000-0000-4000-8000-000000000000");
  }, 150_000);

  it("runs plain requirements; a failing check is exit 1", async () => {
    const passing = await run(
      [
        "run",
        "--url",
        v1.url,
        "--requirements",
        "Go to /login\nType alice@example.com into the Email field\nExpect to see Sign in to Listly",
      ],
      dataDir(),
    );
    expect(passing.code).toBe(0);
    const failing = await run(
      ["run", "--url", v1.url, "--requirements", "Go to /login. Expect to see Welcome back, admin"],
      dataDir(),
    );
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('✗ [2/2] expect text "Welcome back, admin"');
    expect(failing.stdout).toMatch(/failed: 1 passed, 0 healed, 1 failed/);
  });

  it("bad input is exit 2 with every problem named, and nothing runs", async () => {
    const dir = dataDir();
    const bad = join(dir, "bad.yaml");
    writeFileSync(
      bad,
      "name: x\napplication_url: http://127.0.0.1:1\ntest_steps:\n  - action: fly\n    params: {}\n",
    );
    const invalid = await run(["run", bad], dir);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("step 1 (test_steps[0].action, line 4): action must be one of");
    const vague = await run(["run", "--url", v1.url, "--requirements", "Go to /login\nMake it pop"], dir);
    expect(vague.code).toBe(2);
    expect(vague.stderr).toContain("- Make it pop");
    expect((await run(["run", join(dir, "missing.yaml")], dir)).stderr).toBe(
      `testdriver: plan file not found: ${join(dir, "missing.yaml")}\n`,
    );
    expect((await run(["run", plan, "--url", "ftp://x"], dir)).code).toBe(2);
    expect(existsSync(join(dir, "reports"))).toBe(false);
    // Refused before the store opens: no start-up paid for a bad plan.
    expect(existsSync(join(dir, "pgdata"))).toBe(false);
  });

  it("demo serves both versions, heals v2 and says where the reports are; its heals are reviewed by short ids", async () => {
    const dir = dataDir();
    const result = await run(["demo"], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Listly 1\.0: run .* passed: 13 passed, 0 healed/);
    expect(result.stdout).toMatch(/Listly 2\.0: run .* passed: 7 passed, 6 healed/);
    expect(result.stdout).toContain("click-sign-in-button: #login-btn -> #signin-button");
    expect(result.stdout.match(/report: /g)).toHaveLength(2);
    // While starting it says what it does, before the first run; the browser launches while the store opens.
    expect(result.stderr).toMatch(
      /^opening the event store in .+\nlaunching the browser \(playwright\) meanwhile\.\.\.\nstore ready \(.+ s\)\nbrowser ready \(.+ s\)\n/m,
    );
    expect(result.stderr.indexOf("browser ready")).toBeLessThan(result.stderr.indexOf("Listly 1.0 at"));

    const v2 = /Listly 2\.0: run ([0-9a-f]{8})/.exec(result.stdout)![1]!;
    expect(result.stdout).toContain(`testdriver heals review ${v2} --all --approve`);
    const table = await run(["heals", "list", v2], dir);
    expect(table.code, table.stderr).toBe(0);
    const rows = table.stdout.trim().split("\n");
    expect(rows[0]).toMatch(/^HEAL +STEP +LOCATOR \(OLD → NEW\) +CONFIDENCE +STATUS$/);
    expect(rows).toHaveLength(7);
    const signIn = rows.find((r) => r.includes("click-sign-in-button"))!;
    expect(signIn).toMatch(
      /^[0-9a-f]{8} +click-sign-in-button +#login-btn → #signin-button +0\.\d\d +applied, .*; awaits review$/,
    );
    const json = (await run(["heals", "list", v2, "--json"], dir)).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(json).toHaveLength(6);

    const one = await run(["heals", "review", v2, signIn.slice(0, 5), "--reject"], dir);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toBe(`heal ${signIn.slice(0, 8)} (click-sign-in-button) rejected\n`);
    const rest = await run(["heals", "review", v2, "--all", "--approve", "--reviewer", "qa"], dir);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stdout.trim().split("\n")).toHaveLength(5);
    const after = (await run(["heals", "list", v2], dir)).stdout;
    expect(after.match(/approved by qa/g)).toHaveLength(5);
    expect(after).toMatch(/click-sign-in-button .*; rejected by /);
    expect((await run(["heals", "review", v2, "--all", "--approve"], dir)).stdout).toMatch(
      /has no heal awaiting review/,
    );
  }, 240_000);
});

describe.runIf(browsersAvailable)("testdriver run --planner model", () => {
  it("asks the configured chat model only for the sentences the rules refuse, with the page, and runs the plan", async () => {
    const v1 = await serveDemo(1);
    const model = await startOpenAIServer([
      {
        content: JSON.stringify({
          sentences: [
            {
              sentence: "The sign-in page greets the user",
              steps: [{ action: "assert", params: { text: "Sign in to Listly" } }],
            },
          ],
        }),
      },
    ]);
    try {
      const dir = mkdtempSync(join(tmpdir(), "td-cli-model-"));
      const result = await runCli(
        [
          "run",
          "--planner",
          "model",
          "--url",
          v1.url,
          "--requirements",
          "Go to /login\nThe sign-in page greets the user",
        ],
        {
          TESTDRIVER_DATA_DIR: dir,
          TESTDRIVER_LOG_LEVEL: "warn",
          OPENAI_BASE_URL: model.baseURL,
          OPENAI_API_KEY: "k",
          TESTDRIVER_PLANNER_MODEL: "tiny",
        },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toContain('✓ [2/2] expect text "Sign in to Listly"');
      expect(model.requests).toHaveLength(1);
      const prompt = JSON.stringify(model.requests[0]);
      expect(prompt).toContain("The sign-in page greets the user");
      expect(prompt).not.toContain("Go to /login");
      // The page's accessibility summary is the model's context.
      expect(prompt).toContain('button \\"Sign in\\"');
    } finally {
      await model.close();
      await v1.close();
    }
  }, 180_000);
});
