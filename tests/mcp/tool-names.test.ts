import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTION_TYPES } from "../../src/domain/plan/model.js";
import { type McpConnection, overHttp, overStdio, textOf } from "../support/mcp-clients.js";

// Claude Desktop, OpenAI's API and Copilot CLI load no tool at all when one name leaves this pattern.
const CLIENT_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

// What an agent pays on every turn for the tool list: text ÷ 4, about a token each four characters.
const tokensOf = (tools: unknown) => Math.ceil(JSON.stringify(tools).length / 4);
const BUDGET = 3500;

describe.each([
  { transport: "stdio", connect: () => overStdio({ args: ["--tools", "all"] }) },
  { transport: "Streamable HTTP", connect: () => overHttp("admin", "all") },
])("the tool list over $transport", ({ connect }) => {
  let conn: McpConnection;
  beforeAll(async () => {
    conn = await connect();
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
  });

  it("are all names every MCP client accepts, snake_case as the spec's API reference", async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    const refused = tools.map((t) => t.name).filter((name) => !CLIENT_TOOL_NAME.test(name));
    expect(refused).toEqual([]);
    for (const t of tools) expect(t.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(["start_test", "execute_step", "get_report", "heal_test", "check_drift"]),
    );
  });

  it(`lists every tool within ${BUDGET} tokens too`, async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.length).toBe(26);
    expect(tokensOf(tools)).toBeLessThanOrEqual(BUDGET);
  });

  it("says in execute_step which params each action takes", async () => {
    const { tools } = await conn.client.listTools();
    const step = tools.find((t) => t.name === "execute_step")!;
    const missing = ACTION_TYPES.filter((a) => !new RegExp(`\\b${a}\\b`).test(step.description ?? ""));
    expect(missing).toEqual([]);
  });

  it("speaks url and run_id, as the HTTP API and CLI do; the spec's names are accepted, not listed", async () => {
    const { tools } = await conn.client.listTools();
    const listed = JSON.stringify(tools);
    expect(listed).not.toMatch(/application_url|test_id/);
    const start = tools.find((t) => t.name === "start_test")!;
    expect(start.inputSchema.required).toEqual(["url"]);
    for (const t of tools.filter((t) => Object.keys(t.inputSchema.properties ?? {}).includes("run_id")))
      expect(t.inputSchema.required).toContain("run_id");
    const call = async (name: string, args: Record<string, unknown>) =>
      (await conn.client.callTool({ name, arguments: args })) as CallToolResult;
    const plan = await call("generate_test_plan", {
      requirements: "Go to /login",
      application_url: "http://127.0.0.1:9/",
    });
    expect(plan.isError, textOf(plan)).toBeFalsy();
    expect((plan.structuredContent as { plan: { application_url: string } }).plan.application_url).toBe(
      "http://127.0.0.1:9/",
    );
    const report = await call("get_report", { test_id: "00000000-0000-4000-8000-000000000000" });
    expect(textOf(report)).toMatch(/^\[not_found\] No run 00000000-/);
    // Both names at once: the listed one wins.
    const both = await call("get_report", {
      run_id: "latest",
      test_id: "00000000-0000-4000-8000-000000000000",
    });
    expect(textOf(both)).toContain("run_id must be a run id");
  });

  it("shows execute_step's params typed, with one definition of a target", async () => {
    const { tools } = await conn.client.listTools();
    const step = tools.find((t) => t.name === "execute_step")!;
    const params = (step.inputSchema.properties as Record<string, { properties?: Record<string, unknown> }>)
      .params!;
    expect(Object.keys(params.properties ?? {})).toEqual(
      expect.arrayContaining(["url", "target", "text", "key", "secret", "values", "fields"]),
    );
    expect(params.properties!.secret).toEqual({ type: "boolean" });
    const json = JSON.stringify(step.inputSchema);
    expect(json.match(/"xpath"/g)).toHaveLength(1);
  });
});

describe.each([
  { transport: "stdio", connect: () => overStdio() },
  { transport: "Streamable HTTP", connect: () => overHttp("runner") },
])("the default (core) tool list over $transport", ({ connect }) => {
  let conn: McpConnection;
  beforeAll(async () => {
    conn = await connect();
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
  });

  it(`drives and checks tests within ${BUDGET} tokens for the whole list`, async () => {
    const { tools } = await conn.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "describe_screen",
        "execute_step",
        "find_element",
        "finish_test",
        "get_page_log",
        "get_report",
        "list_tests",
        "start_test",
        "stop_test",
        "verify_visual_state",
      ].sort(),
    );
    expect(tokensOf(tools)).toBeLessThanOrEqual(BUDGET);
    // No test id's UUID regex, repeated per tool: the server checks ids itself.
    expect(JSON.stringify(tools)).not.toMatch(/"pattern"/);
  });
});
