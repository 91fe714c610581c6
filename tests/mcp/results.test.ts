import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browsersAvailable } from "../support/browsers.js";
import { type McpConnection, overHttp, overStdio, stdioEnv, textOf } from "../support/mcp-clients.js";
import { serveDirectory } from "../support/static-server.js";

// A value an agent types from the environment: it must never come back in what the page shows.
const SECRET_NAME = "TD_RESULTS_NOTE";
const SECRET = "S3cr3t-note-4711";
const todomvc = dirname(createRequire(import.meta.url).resolve("todomvc/package.json"));

describe.runIf(browsersAvailable).each([
  { transport: "stdio", connect: () => overStdio({ env: stdioEnv({ [SECRET_NAME]: SECRET }) }) },
  { transport: "Streamable HTTP", connect: () => overHttp("runner") },
])("step results on TodoMVC (React) over $transport", ({ connect }) => {
  let site: { url: string; close: () => Promise<void> };
  let conn: McpConnection;
  const call = async (name: string, args: Record<string, unknown>) =>
    (await conn.client.callTool({ name, arguments: args }, undefined, {
      timeout: 120_000,
    })) as CallToolResult;

  beforeAll(async () => {
    process.env[SECRET_NAME] = SECRET; // the in-process HTTP server reads this process's environment
    site = await serveDirectory(todomvc);
    conn = await connect();
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await site?.close();
    delete process.env[SECRET_NAME];
  });

  it("carry what the agent needs: the first view, new list items and counters, hash routes as the same page, failures as errors, no secrets", async () => {
    const started = await call("start_test", {
      url: `${site.url}/examples/react/`,
      interactive: true,
    });
    expect(started.isError, textOf(started)).toBeFalsy();
    expect(textOf(started)).toContain('textbox "What needs to be done?"');
    const id = (started.structuredContent as { run_id: string }).run_id;
    const step = (action: string, params: Record<string, unknown>, more: Record<string, unknown> = {}) =>
      call("execute_step", { run_id: id, action, params, ...more });

    const first = await step("type", {
      target: "What needs to be done?",
      text: "Walk the dog",
      key: "Enter",
    });
    expect(first.isError, textOf(first)).toBeFalsy();
    expect(textOf(first)).toMatch(/\+ (listitem|checkbox) "Walk the dog"/);
    expect(textOf(first)).toMatch(/\+ \w+ "1 item left"/);
    const second = await step("type", { target: "What needs to be done?", text: "Buy milk", key: "Enter" });
    expect(textOf(second)).toMatch(/\+ (listitem|checkbox) "Buy milk"/);
    expect(textOf(second)).toMatch(/\+ \w+ "2 items left"/);

    // A hash route redraws the list: a change on the same page, not a new page of everything.
    const routed = await step("click", { target: { role: "link", description: "Completed" } });
    expect(routed.isError, textOf(routed)).toBeFalsy();
    expect((routed.structuredContent as { page: { changed: string } }).page.changed).toBe("changed");
    expect(textOf(routed)).toMatch(/URL now .*#\/completed/);
    expect(textOf(routed)).toMatch(/- (listitem|checkbox) "Walk the dog"/);
    expect(textOf(routed)).not.toContain('heading h1 "todos"');
    await step("click", { target: { role: "link", description: "All" } });

    // A step that fails is an error result.
    const missing = await step("click", { target: { css: "#no-such-button" } }, { timeout: 2 });
    expect(missing.isError).toBe(true);
    expect((missing.structuredContent as { step: { status: string } }).step.status).toBe("failed");

    // Typed from ${env:...} into a plain field, then shown as a list item: masked wherever it appears.
    const typed = await step("type", { target: "What needs to be done?", text: `\${env:${SECRET_NAME}}` });
    expect(typed.isError, textOf(typed)).toBeFalsy();
    expect(textOf(typed)).toContain('value="••••"');
    const added = await step("press", { key: "Enter" });
    expect(textOf(added)).toMatch(/\+ (listitem|checkbox) "••••"/);
    const screen = await call("describe_screen", { run_id: id, detail: "full" });
    for (const r of [typed, added, screen]) expect(JSON.stringify(r)).not.toContain(SECRET);

    // The session's requests, as an agent debugging the app would read them.
    const log = await call("get_page_log", { run_id: id, kind: "network" });
    expect(log.isError, textOf(log)).toBeFalsy();
    expect(textOf(log)).toMatch(/^GET \/examples\/react\/\S* 200/m);
  }, 180_000);
});
