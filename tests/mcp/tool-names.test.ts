import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type McpConnection, overHttp, overStdio } from "../support/mcp-clients.js";

// Claude Desktop, OpenAI's API and Copilot CLI load no tool at all when one name leaves this pattern.
const CLIENT_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

describe.each([
  { transport: "stdio", connect: () => overStdio() },
  { transport: "Streamable HTTP", connect: () => overHttp("admin") },
])("tool names over $transport", ({ connect }) => {
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
      expect.arrayContaining(["start_test", "execute_step", "get_report"]),
    );
  });
});
