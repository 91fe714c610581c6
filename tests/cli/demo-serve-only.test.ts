import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";

const CLI = join(import.meta.dirname, "../../dist/cli/main.js");

describe("testdriver demo --serve-only", () => {
  it("serves Listly v1 and v2 alone until interrupted, so an exported demo test has an app to run against", async () => {
    const child = spawn(process.execPath, [CLI, "demo", "--serve-only"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    while (!/Listly 2\.0 at \S+\n/.test(stdout)) {
      const [chunk] = (await once(child.stdout, "data")) as [string];
      stdout += chunk;
    }
    const [, v1] = /Listly 1\.0 at (\S+)/.exec(stdout)!;
    const [, v2] = /Listly 2\.0 at (\S+)/.exec(stdout)!;
    expect(await (await fetch(`${v1}/login`)).text()).toContain("Sign in to Listly");
    expect((await fetch(`${v2}/login`)).status).toBe(200);
    child.kill("SIGINT");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  });

  it("refuses --port without --serve-only, naming the option", async () => {
    const result = await runCli(["demo", "--port", "8081"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--port: only with --serve-only");
  });
});
