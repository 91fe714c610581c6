import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { Role } from "../../src/adapters/sql/api-keys.js";
import { type ApiHarness, apiHarness } from "./api.js";
import { CHROMEDRIVER, CHROMIUM } from "./browsers.js";

export const BIN = join(import.meta.dirname, "../../bin/testdriver.js");

export interface McpConnection {
  client: Client;
  close: () => Promise<void>;
}

/** The environment `testdriver mcp` gets from a client's configuration: a fresh data folder, quiet logs. */
export function stdioEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    TESTDRIVER_DATA_DIR: mkdtempSync(join(tmpdir(), "td-mcp-stdio-")),
    TESTDRIVER_LOG_LEVEL: "warn",
    TESTDRIVER_CHROMIUM_PATH: CHROMIUM,
    TESTDRIVER_CHROMEDRIVER_PATH: CHROMEDRIVER,
    ...extra,
  };
}

/** `node bin/testdriver.js mcp` as a client's configuration starts it (dist/ must be built). */
export async function overStdio(
  options: { args?: string[]; env?: Record<string, string>; cwd?: string } = {},
): Promise<McpConnection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "mcp", ...(options.args ?? [])],
    env: options.env ?? stdioEnv(),
    cwd: options.cwd,
    stderr: "inherit",
  });
  const client = new Client({ name: "test", version: "1" });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

export async function httpClient(port: number, key: string, tools: "core" | "all" = "core"): Promise<Client> {
  const path = tools === "all" ? "/mcp?tools=all" : "/mcp";
  const transport = new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}${path}`), {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
  });
  const client = new Client({ name: "test", version: "1" });
  await client.connect(transport);
  return client;
}

/** Ends a client's HTTP session on the server too (DELETE /mcp), then closes the client. */
export async function endHttp(client: Client) {
  await (client.transport as StreamableHTTPClientTransport | undefined)?.terminateSession().catch(() => {});
  await client.close();
}

/** The API in-process with MCP at /mcp, and a client on it with a key of the given role. */
export async function overHttp(
  role: Role = "admin",
  tools: "core" | "all" = "core",
): Promise<McpConnection & { api: ApiHarness; port: number; key: string }> {
  const api = await apiHarness("keys");
  const { key } = await api.keys.create("agent", role);
  await api.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = api.app.server.address() as { port: number };
  const client = await httpClient(port, key, tools);
  return {
    client,
    api,
    port,
    key,
    close: async () => {
      await client.close();
      await api.close();
    },
  };
}

export const textOf = (r: CallToolResult) =>
  r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
