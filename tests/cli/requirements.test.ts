import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { browsersAvailable } from "../support/browsers.js";
import { runCli } from "../support/cli.js";

const cli = (args: string[], dataDir: string) =>
  runCli(args, {
    TESTDRIVER_DATA_DIR: dataDir,
    TESTDRIVER_LOG_LEVEL: "warn",
    TESTDRIVER_STEP_TIMEOUT_MS: "4000",
  });
const fresh = () => mkdtempSync(join(tmpdir(), "td-cli-req-"));

describe("testdriver plan and run --dry-run", () => {
  it("print each step as understood, one line each, with its sentence beside it, secrets masked", async () => {
    const dir = fresh();
    const requirements = [
      "Go to /login",
      `Fill in Password with ${DEMO_PASSWORD}`,
      "Type foo into the search box and press Enter",
      "Check the page title contains Shop",
      "Check Remember me",
    ].join("\n");
    const planned = await cli(
      ["plan", "--url", "http://127.0.0.1:4400", "--requirements", requirements],
      dir,
    );
    expect(planned.code, planned.stderr).toBe(0);
    const lines = planned.stdout.trim().split("\n");
    expect(lines[0]).toMatch(
      /^"Requirements: Go to \/login" \(plan requirements-[0-9a-f]{12}, 6 steps, against http:\/\/127\.0\.0\.1:4400\)$/,
    );
    expect(lines.slice(1).map((l) => l.replace(/\s+/g, " ").trim())).toEqual([
      "1. open /login <- Go to /login",
      '2. type •••••••• into "Password" <- Fill in Password with ••••••••',
      '3. type "foo" into "search box" <- Type foo into the search box',
      "4. press Enter <- press Enter",
      '5. expect the title to contain "Shop" <- Check the page title contains Shop',
      '6. check "Remember me" <- Check Remember me',
    ]);
    expect(planned.stdout + planned.stderr).not.toContain(DEMO_PASSWORD);
    const dry = await cli(
      ["run", "--dry-run", "--url", "http://127.0.0.1:4400", "--requirements", requirements],
      dir,
    );
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(planned.stdout);
    expect(existsSync(join(dir, "reports"))).toBe(false);
  });

  it("refuse with what was understood, what was not, and the forms they know, exit 2, nothing recorded", async () => {
    const dir = fresh();
    const refused = await cli(
      [
        "run",
        "--url",
        "http://127.0.0.1:4400",
        "--requirements",
        "Go to /login\nType foo into Search and frobnicate it",
      ],
      dir,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('understood: "Type foo into Search" -> type "foo" into "Search"');
    expect(refused.stderr).toContain('not understood: "frobnicate it"');
    expect(refused.stderr).toMatch(
      /Sentence forms the planner knows[\s\S]*Checkboxes and entries: Check Remember me/,
    );
    expect(existsSync(join(dir, "reports"))).toBe(false);
  });
});

describe.runIf(browsersAvailable)("testdriver run with requirements and feature files", () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await serveDemo(1);
  });
  afterAll(() => demo?.close());

  it("opens the application first, shows the steps as understood, and keeps the password out of everything", async () => {
    const dir = fresh();
    const result = await cli(
      [
        "run",
        "--url",
        demo.url,
        "--requirements",
        `Expect to see Sign in to Listly\nFill in Email with alice@example.com\nFill in Password with ${DEMO_PASSWORD}\nClick the Sign in button\nThen I should see "Welcome, alice"`,
      ],
      dir,
    );
    expect(result.code, result.stderr).toBe(0);
    // The first sentence runs on the application, not on about:blank; progress says what each step did.
    expect(result.stderr).toContain(`✓ [1/6] open ${demo.url}`);
    expect(result.stderr).toContain('✓ [2/6] expect text "Sign in to Listly"');
    expect(result.stderr).toContain('✓ [4/6] type •••••••• into "Password"');
    expect(result.stderr).toContain('✓ [5/6] click button "Sign in"');
    const report = JSON.parse(readFileSync(/json: (.+\.json)/.exec(result.stdout)![1]!, "utf8"));
    expect(report.plan.plan_id).toMatch(/^requirements-[0-9a-f]{12}$/);
    expect(report.plan.name).toBe("Requirements: Expect to see Sign in to Listly");
    const exported = await cli(["export", report.run_id], dir);
    const events = await cli(["events", "tail", "--last", "200"], dir);
    for (const text of [result.stdout, result.stderr, JSON.stringify(report), exported.stdout, events.stdout])
      expect(text).not.toContain(DEMO_PASSWORD);
    expect(events.stdout).toContain("Fill in Password with ••••••••");
  }, 60_000);

  it("runs a feature file as it is: each scenario (outline rows too) is its own run, with its own plan", async () => {
    const dir = fresh();
    const feature = join(dir, "login.feature");
    writeFileSync(
      feature,
      `Feature: Listly sign-in
  Background:
    Given I am on /login

  Scenario: the sign-in page greets
    Then I should see "Sign in to Listly"

  Scenario Outline: a wrong password is refused
    When I fill in "Email" with "<email>"
    And I fill in "Password" with "nope"
    And I press "Sign in"
    Then I should see "<message>"

    Examples:
      | email             | message                   |
      | alice@example.com | Invalid email or password |
      | bob@example.com   | Welcome, bob              |
`,
    );
    const result = await cli(["run", feature, "--url", demo.url], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('running "Listly sign-in: the sign-in page greets"');
    expect(result.stderr).toContain('running "Listly sign-in: a wrong password is refused (example 1)"');
    expect(result.stdout.match(/^run [0-9a-f-]{36} (passed|failed)/gm)).toEqual([
      expect.stringMatching(/passed$/),
      expect.stringMatching(/passed$/),
      expect.stringMatching(/failed$/),
    ]);
    expect(result.stdout).toContain('feature "Listly sign-in": 3 scenario(s), 2 passed, 1 not passed');
    const ids = [...result.stdout.matchAll(/json: (.+\.json)/g)].map(
      (m) => JSON.parse(readFileSync(m[1]!, "utf8")).plan.plan_id,
    );
    expect(new Set(ids).size).toBe(3);
  }, 120_000);
});
