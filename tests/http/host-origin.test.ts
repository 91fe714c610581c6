import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, apiHarness } from "../support/api.js";

/** DNS rebinding: a page on attacker.example whose name now resolves to 127.0.0.1 calls the service. */
describe("Host and Origin checks", () => {
  let api: ApiHarness;
  let app: FastifyInstance;
  const mcpInit = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "probe", version: "1" } },
  };
  const mcpHeaders = { accept: "application/json, text/event-stream", "content-type": "application/json" };

  beforeAll(async () => {
    api = await apiHarness("open");
    app = api.app;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it("answers loopback Host headers, mapped IPv6 included", async () => {
    for (const host of [
      "127.0.0.1:8080",
      "localhost",
      "[::1]:8080",
      "[::ffff:127.0.0.1]:9",
      "app.localhost",
    ]) {
      const res = await app.inject({ method: "GET", url: "/api/runs", headers: { host } });
      expect(res.statusCode, host).toBe(200);
    }
  });

  it("refuses a foreign Host on the API and on /mcp, before anything is recorded", async () => {
    const before = (await api.h.store.readAll()).events.length;
    const run = await app.inject({
      method: "POST",
      url: "/api/runs",
      headers: { host: "attacker.example" },
      payload: { plan: {} },
    });
    expect(run.statusCode).toBe(403);
    expect(run.json()).toMatchObject({ error: "host_refused" });
    expect(run.json().message).toMatch(
      /does not answer to Host "attacker\.example"; add the name to TESTDRIVER_PUBLIC_HOSTS/,
    );
    const mcp = await app.inject({
      method: "POST",
      url: "/mcp",
      headers: { host: "attacker.example:8080", ...mcpHeaders },
      payload: mcpInit,
    });
    expect(mcp.statusCode).toBe(403);
    expect(mcp.headers["mcp-session-id"]).toBeUndefined();
    const after = (await api.h.store.readAll()).events.length;
    expect(after).toEqual(before);
  });

  it("refuses a cross-origin browser request without a key, and lets the service's own pages through", async () => {
    const cross = await app.inject({
      method: "POST",
      url: "/mcp",
      headers: { host: "127.0.0.1:8080", origin: "http://attacker.example", ...mcpHeaders },
      payload: mcpInit,
    });
    expect(cross.statusCode).toBe(403);
    expect(cross.json()).toMatchObject({ error: "origin_refused" });
    const otherPort = await app.inject({
      method: "GET",
      url: "/api/runs",
      headers: { host: "127.0.0.1:8080", origin: "http://127.0.0.1:3000" },
    });
    expect(otherPort.statusCode).toBe(403);
    const own = await app.inject({
      method: "GET",
      url: "/api/runs",
      headers: { host: "127.0.0.1:8080", origin: "http://127.0.0.1:8080" },
    });
    expect(own.statusCode).toBe(200);
    const withKey = await app.inject({
      method: "GET",
      url: "/api/runs",
      headers: {
        host: "127.0.0.1:8080",
        origin: "http://attacker.example",
        authorization: "Bearer anything",
      },
    });
    // A key is not a cookie: a page cannot send one it does not hold, so the request passes the Origin check.
    expect(withKey.json().error).not.toBe("origin_refused");
  });
});
