import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UrlPolicy } from "../../src/domain/network/policy.js";
import { type ApiHarness, apiHarness } from "../support/api.js";
import { browsersAvailable } from "../support/browsers.js";
import { runCli } from "../support/cli.js";
import { type HostileSite, startHostileSite } from "./support/hostile-site.js";
import { countHits, ensureOtherHost, type HitCounter, OTHER_HOST } from "./support/other-host.js";

/** The hostile site through the CLI (the built dist/, as users run it) and through MCP over HTTP. */
describe.runIf(browsersAvailable)("a hostile site through the CLI and MCP", () => {
  let counter: HitCounter;
  let site: HostileSite;

  beforeAll(async () => {
    ensureOtherHost();
    counter = await countHits();
    site = await startHostileSite(`http://${OTHER_HOST}:${counter.port}`);
  });
  afterAll(async () => {
    await site?.close();
    await counter?.close();
  });

  it("testdriver run: the step fails naming the refused host, exit status non-zero, zero hits", async () => {
    const dir = mkdtempSync(join(tmpdir(), "td-hostile-cli-"));
    const plan = join(dir, "hostile.yaml");
    writeFileSync(
      plan,
      `plan_id: hostile-cli
name: Hostile pages
description: pages that reach for another host
application_url: ${site.url("/")}
test_steps:
  - action: navigate
    params: { url: /subresources }
`,
    );
    const result = await runCli(["run", plan], {
      TESTDRIVER_DATA_DIR: dir,
      TESTDRIVER_LOG_LEVEL: "warn",
      TESTDRIVER_DRIVER: "webdriverio",
    });
    expect(result.code, result.stderr).not.toBe(0);
    expect(`${result.stdout}\n${result.stderr}`).toMatch(
      new RegExp(`UrlRefusedError: the page's request to http://10\\.77\\.0\\.1:${counter.port}/`),
    );
    expect(counter.hits()).toBe(0);
  }, 180_000);

  describe("MCP over Streamable HTTP", () => {
    let api: ApiHarness;
    let client: Client;
    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult;
    const text = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

    beforeAll(async () => {
      api = await apiHarness("open", { policy: UrlPolicy.of({}) });
      await api.app.listen({ host: "127.0.0.1", port: 0 });
      const { port } = api.app.server.address() as { port: number };
      client = new Client({ name: "hostile", version: "1" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
    }, 60_000);
    afterAll(async () => {
      await client?.close();
      await api?.close();
    });

    it("an agent's step on a hostile page fails naming the refused host, zero hits", async () => {
      const started = await call("start_test", {
        application_url: site.url("/"),
        interactive: true,
        framework: "playwright",
      });
      expect(started.isError, text(started)).toBeFalsy();
      const testId = (started.structuredContent as { run_id: string }).run_id;
      const step = await call("execute_step", {
        test_id: testId,
        action: "navigate",
        params: { url: "/subresources" },
      });
      expect(text(step)).toMatch(
        new RegExp(`UrlRefusedError: the page's request to http://10\\.77\\.0\\.1:${counter.port}/`),
      );
      expect(counter.hits()).toBe(0);
    }, 120_000);

    it("an agent cannot aim a test at the metadata service", async () => {
      const started = await call("start_test", {
        application_url: "http://169.254.169.254/latest/meta-data",
        interactive: true,
      });
      // Refused before the run is recorded, naming the rule.
      expect(started.isError).toBe(true);
      expect(text(started)).toMatch(/169\.254\.169\.254 is a metadata address, which is never reachable/);
    }, 60_000);
  });
});
