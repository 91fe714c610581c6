import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import Fastify from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerMcpRoute } from "../../src/mcp/http.js";
import { readRunDetails } from "../../src/projections/run-report/queries.js";
import type { ApiHarness } from "../support/api.js";
import { endHttp, httpClient, overHttp, textOf } from "../support/mcp-clients.js";

/** A JSON-RPC call on an open session, sent with the given key (what another client could do with the id). */
async function rawCall(port: number, key: string, sessionId: string, body: unknown) {
  return fetch(`http://127.0.0.1:${port}/mcp`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "mcp-session-id": sessionId,
      "mcp-protocol-version": "2025-06-18",
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify(body),
  });
}

describe("MCP sessions over HTTP", () => {
  let conn: Awaited<ReturnType<typeof overHttp>>;
  let api: ApiHarness;
  const closers: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    process.env.TESTDRIVER_MCP_MAX_SESSIONS = "3";
    conn = await overHttp("runner");
    api = conn.api;
  }, 60_000);
  afterEach(async () => {
    await Promise.allSettled(closers.splice(0).map((c) => c()));
  });
  afterAll(async () => {
    delete process.env.TESTDRIVER_MCP_MAX_SESSIONS;
    await conn?.close();
  });

  it("are bound to the key that opened them: another key, a viewer's, is refused on a runner's session", async () => {
    const { key: viewerKey } = await api.keys.create("reader", "viewer");
    const sessionId = (conn.client.transport as { sessionId?: string }).sessionId!;
    const before = await api.h.store.db.query("SELECT count(*)::int AS n FROM td_events");
    const refused = await rawCall(conn.port, viewerKey, sessionId, {
      jsonrpc: "2.0",
      id: 7,
      method: "tools/call",
      params: {
        name: "start_test",
        arguments: { requirements: "Go to /", url: "http://127.0.0.1:9/" },
      },
    });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(await refused.json())).toMatch(/belongs to another API key/);
    const after = await api.h.store.db.query("SELECT count(*)::int AS n FROM td_events");
    expect(after.rows).toEqual(before.rows);
  });

  it("show a viewer only the tools it may call", async () => {
    const { key } = await api.keys.create("reader-2", "viewer");
    const viewer = await httpClient(conn.port, key);
    closers.push(() => endHttp(viewer));
    const { tools } = await viewer.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        "describe_screen",
        "find_element",
        "get_page_log",
        "get_report",
        "list_tests",
        "verify_visual_state",
      ].sort(),
    );
    for (const t of tools) expect(t.annotations?.readOnlyHint).toBe(true);
  });

  it("record the key's name as who asked for a run", async () => {
    const started = (await conn.client.callTool({
      name: "start_test",
      arguments: { requirements: "Go to /", url: "http://127.0.0.1:9/" },
    })) as CallToolResult;
    expect(started.isError, textOf(started)).toBeFalsy();
    const testId = (started.structuredContent as { run_id: string }).run_id;
    const details = await readRunDetails(api.h.store, testId);
    expect(details.requested_by).toBe("agent");
  });

  it("are capped: an initialize beyond the limit is refused with the reason", async () => {
    const { key } = await api.keys.create("many", "runner");
    // conn holds one session; two more reach the cap of 3.
    for (let i = 0; i < 2; i++) {
      const c = await httpClient(conn.port, key);
      closers.push(() => endHttp(c));
    }
    await expect(httpClient(conn.port, key)).rejects.toThrow(/too many MCP sessions \(3\)/);
  });
});

describe("idle MCP sessions over HTTP", () => {
  it("are closed: a later request on one is told to initialize again", async () => {
    // The route alone, on a clock the test moves: idleness without waiting for it.
    let now = 0;
    const app = Fastify();
    app.addHook("onRequest", async (request) => {
      request.caller = { role: "runner", name: "clocked" };
    });
    registerMcpRoute(app, new Promise<never>(() => {}), { maxSessions: 5, idleMs: 60_000, now: () => now });
    await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const { port } = app.server.address() as { port: number };
      const client = await httpClient(port, "any");
      const sessionId = (client.transport as { sessionId?: string }).sessionId!;
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      now += 60_001;
      const late = await rawCall(port, "any", sessionId, { jsonrpc: "2.0", id: 1, method: "tools/list" });
      expect(late.status).toBe(404);
      expect(JSON.stringify(await late.json())).toMatch(/idle too long.*initialize a new one/);
    } finally {
      await app.close();
    }
  }, 60_000);
});
