import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browsersAvailable } from "../support/browsers.js";
import { runCli } from "../support/cli.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";

const PAGES = join(import.meta.dirname, "../fixtures/pages/vision");

describe.runIf(browsersAvailable)("testdriver baseline and drift", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "td-cli-drift-"));
  const cli = (...args: string[]) =>
    runCli(args, {
      TESTDRIVER_DATA_DIR: dataDir,
      TESTDRIVER_LOG_LEVEL: "warn",
      TESTDRIVER_VIEWPORT: "800x600",
    });
  let v1: FixtureServer;
  // The next release of the application: the same path now serves the changed page.
  const v2 = Fastify();
  let v2Url = "";
  beforeAll(async () => {
    v1 = await startFixtureServer();
    v2.get("/vision/login.html", async (_r, reply) =>
      reply.type("text/html").send(readFileSync(join(PAGES, "login-v2.html"))),
    );
    await v2.listen({ host: "127.0.0.1", port: 0 });
    v2Url = `http://127.0.0.1:${(v2.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await v1?.close();
    await v2.close();
  });

  it("captures and approves a page, then finds functional drift on v2 and exits 3", async () => {
    const page = ["--page", "login", "--app-version", "1.0"];
    const captured = await cli("baseline", "capture", "--url", v1.url("/vision/login.html"), ...page);
    expect(captured.code, captured.stderr).toBe(0);
    const { baseline_id } = JSON.parse(captured.stdout) as { baseline_id: string };

    const unapproved = await cli("drift", "check", "--url", v1.url("/vision/login.html"), ...page);
    expect(unapproved.code).toBe(2);
    expect(unapproved.stderr).toMatch(/not approved yet: approve it \(testdriver baseline approve/);

    expect((await cli("baseline", "approve", baseline_id, "--by", "alice")).code).toBe(0);

    const changed = await cli("drift", "check", "--url", `${v2Url}/vision/login.html`, ...page);
    expect(changed.code).toBe(3);
    expect(changed.stderr).toMatch(/login: functional/);
    expect(changed.stderr).toContain('button "Sign in" is now "Log in"');
    expect(JSON.parse(changed.stdout)).toMatchObject({ severity: "functional", baseline_id });
  }, 120_000);

  it("checks the approved baselines before a run and refuses to run when the drift is too severe", async () => {
    const requirements = "Open /vision/login.html\nExpect to see Welcome back";
    const refused = await cli(
      "run",
      "--requirements",
      requirements,
      "--url",
      v2Url,
      "--drift-baseline",
      "1.0",
      "--fail-on-drift",
      "functional",
    );
    expect(refused.code, refused.stderr + refused.stdout).toBe(3);
    expect(refused.stderr).toMatch(/login: functional/);
    expect(refused.stderr).toContain("not running: drift reached functional");
    expect(refused.stdout).toBe("");

    const listed = await cli("baseline", "list");
    expect(JSON.parse(listed.stdout.trim())).toMatchObject({
      page_identifier: "login",
      status: "approved",
      approved_by: "alice",
      detections: 2,
      last_severity: "functional",
    });
  }, 120_000);
});
