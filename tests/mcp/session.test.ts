import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { TOOLS } from "../../src/mcp/server.js";
import { type ApiHarness, apiHarness } from "../support/api.js";
import { browsersAvailable, CHROMEDRIVER, CHROMIUM } from "../support/browsers.js";
import { DEMO_PLAN_TEXT } from "../support/engine.js";

const BIN = join(import.meta.dirname, "../../bin/testdriver.js");

interface Connection {
  client: Client;
  close: () => Promise<void>;
}

async function overStdio(): Promise<Connection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "mcp", "--tools", "all"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      TESTDRIVER_DATA_DIR: mkdtempSync(join(tmpdir(), "td-mcp-stdio-")),
      TESTDRIVER_LOG_LEVEL: "warn",
      TESTDRIVER_CHROMIUM_PATH: CHROMIUM,
      TESTDRIVER_CHROMEDRIVER_PATH: CHROMEDRIVER,
    },
    stderr: "inherit",
  });
  const client = new Client({ name: "test", version: "1" });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

async function overHttp(): Promise<Connection & { api: ApiHarness }> {
  const api = await apiHarness("keys");
  // Admin: the shared cases record verdicts on heals and approve baselines, a reviewer's decisions.
  const { key } = await api.keys.create("agent", "admin");
  await api.app.listen({ host: "127.0.0.1", port: 0 });
  const address = api.app.server.address() as { port: number };
  const transport = new StreamableHTTPClientTransport(
    new URL(`http://127.0.0.1:${address.port}/mcp?tools=all`),
    {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    },
  );
  const client = new Client({ name: "test", version: "1" });
  await client.connect(transport);
  return {
    client,
    api,
    close: async () => {
      await client.close();
      await api.close();
    },
  };
}

const text = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
// Tool results are read loosely here: each assertion names the fields it needs.
// biome-ignore lint/suspicious/noExplicitAny: structuredContent is whatever each tool returns
type Structured = Record<string, any>;

describe.runIf(browsersAvailable).each([
  { transport: "stdio", connect: overStdio },
  { transport: "Streamable HTTP", connect: overHttp },
])("an MCP session over $transport", ({ connect }) => {
  let v1: RunningDemo;
  let v2: RunningDemo;
  let conn: Connection;
  let client: Client;
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as CallToolResult;
  const ok = async (name: string, args: Record<string, unknown>) => {
    const r = await call(name, args);
    expect(r.isError, text(r)).toBeFalsy();
    return { r, data: r.structuredContent as Structured, text: text(r) };
  };
  const plan = (url: string, planId: string) =>
    DEMO_PLAN_TEXT.replace("plan_id: listly-demo", `plan_id: ${planId}`).replace(
      "http://127.0.0.1:4400",
      url,
    );
  let v1Run: string;
  let v2Run: string;

  beforeAll(async () => {
    v1 = await serveDemo(1);
    v2 = await serveDemo(2);
    conn = await connect();
    client = conn.client;
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await v1?.close();
    await v2?.close();
  });

  it("lists every tool with a description and input schema, the resource templates and the prompts", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS.map((t) => t.name).sort());
    for (const name of [
      "start_test",
      "execute_step",
      "get_report",
      "heal_test",
      "list_tests",
      "stop_test",
      "get_test_metrics",
      "get_reliability_score",
      "generate_test_plan",
      "review_healing_events",
      "describe_screen",
      "find_element",
      "verify_visual_state",
      "compare_screens",
      "get_state_snapshot",
      "restore_state",
      "analyze_failure",
      "get_system_health",
      "get_adapter_status",
      "replay_test",
      "capture_baseline",
      "approve_baseline",
      "check_drift",
      "list_baselines",
    ])
      expect(tools.map((t) => t.name)).toContain(name);
    const start = tools.find((t) => t.name === "start_test")!;
    expect(start.description).toMatch(/waitForCompletion/);
    expect(start.inputSchema.required).toEqual(["url"]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining([
        "testdriver://runs/{id}/report.html",
        "testdriver://runs/{id}/report.json",
        "testdriver://runs/{id}/report.junit.xml",
        "testdriver://runs/{id}/steps/{n}/screenshot.png",
        "testdriver://runs/{id}/events",
      ]),
    );
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(["triage-failed-run", "write-test-plan"]);
    const prompt = await client.getPrompt({
      name: "write-test-plan",
      arguments: { requirements: "Sign in", url: v1.url },
    });
    expect(JSON.stringify(prompt.messages)).toContain("generate_test_plan");
  });

  it("generates a plan for the demo app from requirements", async () => {
    const { data } = await ok("generate_test_plan", {
      requirements: "Go to /login\nType alice@example.com into the Email field\nClick the Sign in button",
      url: v1.url,
    });
    expect(data.plan.test_steps.map((s: { action: string }) => s.action)).toEqual([
      "navigate",
      "type",
      "click",
    ]);
    expect(data.yaml).toContain("application_url:");
  });

  it("starts the demo test, reports progress per step, and waits for it", async () => {
    const progress: number[] = [];
    const r = (await client.callTool(
      {
        name: "start_test",
        arguments: {
          plan: plan(v1.url, "mcp-demo"),
          url: v1.url,
          waitForCompletion: true,
          application_version: "1.0",
        },
      },
      undefined,
      { onprogress: (p) => progress.push(p.progress), timeout: 120_000 },
    )) as CallToolResult;
    expect(r.isError, text(r)).toBeFalsy();
    const data = r.structuredContent as Structured;
    expect(data.status).toBe("passed");
    expect(data.summary).toMatchObject({ total: 13, passed: 13 });
    expect(progress).toEqual([...Array(13).keys()].map((i) => i + 1));
    v1Run = data.run_id;
  }, 120_000);

  it("serves the report, a step screenshot and the events as resources", async () => {
    const json = await client.readResource({ uri: `testdriver://runs/${v1Run}/report.json` });
    const content = json.contents[0] as { text: string; mimeType: string };
    expect(JSON.parse(content.text)).toMatchObject({ schema_version: 1, status: "passed" });
    const html = await client.readResource({ uri: `testdriver://runs/${v1Run}/report.html` });
    expect((html.contents[0] as { text: string }).text).toContain("<html");
    const junit = await client.readResource({ uri: `testdriver://runs/${v1Run}/report.junit.xml` });
    expect((junit.contents[0] as { text: string }).text).toContain("<testsuite");
    const png = await client.readResource({ uri: `testdriver://runs/${v1Run}/steps/3/screenshot.png` });
    expect(
      Buffer.from((png.contents[0] as { blob: string }).blob, "base64")
        .subarray(1, 4)
        .toString(),
    ).toBe("PNG");
    const events = JSON.parse(
      (
        (await client.readResource({ uri: `testdriver://runs/${v1Run}/events` })).contents[0] as {
          text: string;
        }
      ).text,
    );
    expect(events[0].type).toBe("RunRequested");
    const { resources } = await client.listResources();
    expect(resources.map((x) => x.uri)).toContain(`testdriver://runs/${v1Run}/report.html`);
  });

  it("heals the v2 run, and reviews its heals", async () => {
    const { data } = await ok("start_test", {
      plan: plan(v2.url, "mcp-demo"),
      url: v2.url,
      waitForCompletion: true,
      application_version: "2.0",
    });
    expect(data.status).toBe("passed");
    expect(data.summary.healed).toBeGreaterThanOrEqual(5);
    v2Run = data.run_id;
    const listed = await ok("review_healing_events", { run_id: v2Run });
    const pending = listed.data.heals.filter((h: { review: string }) => h.review === "pending");
    expect(pending.length).toBeGreaterThanOrEqual(5);
    const reviewed = await ok("review_healing_events", {
      run_id: v2Run,
      decisions: [
        { healing_id: pending[0].healing_id, approved: true },
        { healing_id: pending[1].healing_id, approved: false, note: "wrong control" },
      ],
    });
    const byId = Object.fromEntries(
      reviewed.data.heals.map((h: { healing_id: string; review: string }) => [h.healing_id, h.review]),
    );
    expect([byId[pending[0].healing_id], byId[pending[1].healing_id]]).toEqual(["approved", "rejected"]);
    // A passed test has nothing to heal: a refusal the model can act on.
    const refused = await call("heal_test", { run_id: v2Run });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/passed.*get_report/);
  }, 120_000);

  it("gives the state at an earlier version, refolds, and re-executes with the recorded locators", async () => {
    const early = await ok("replay_test", { run_id: v1Run, mode: "state", at: 8 });
    expect(early.data.version).toBe(8);
    expect(early.data.status).toBe("running");
    expect(early.data.steps.filter((s: { status: string }) => s.status === "passed").length).toBeLessThan(13);
    const refold = await ok("replay_test", { run_id: v1Run, mode: "refold" });
    expect(refold.data.equal).toBe(true);
    const again = await ok("replay_test", {
      run_id: v1Run,
      mode: "reexecute",
      secrets: { "type-password-field": DEMO_PASSWORD },
    });
    expect(again.data).toMatchObject({ status: "passed", same: true });
    const snapshot = await ok("get_state_snapshot", { run_id: v1Run, at: 12 });
    expect(snapshot.data.url).toMatch(/\/login$/);
    expect(snapshot.r.content.some((c) => c.type === "image")).toBe(true);
  }, 120_000);

  it("drives an interactive test step by step, looking at the screen in between", async () => {
    const started = await ok("start_test", {
      url: `${v1.url}/login`,
      interactive: true,
    });
    const id = started.data.run_id;
    // The start shows the page it opened: no describe_screen needed before the first step.
    expect(started.text).toContain('textbox "Email"');
    const screen = await ok("describe_screen", { run_id: id });
    expect(screen.text).toContain('textbox "Email"');
    expect(screen.text.length).toBeLessThan(1500 * 4);
    const found = await ok("find_element", { run_id: id, description: "Sign in button" });
    expect(found.data.matches[0]).toMatchObject({ role: "button", selector: "#login-btn" });
    await ok("execute_step", {
      run_id: id,
      action: "type",
      params: { target: "Email field", text: "alice@example.com" },
    });
    const typed = await ok("execute_step", {
      run_id: id,
      action: "type",
      params: { target: "Password field", text: DEMO_PASSWORD, secret: true },
    });
    // The page observation shows a password field, never its value.
    expect(JSON.stringify(typed.r)).not.toContain(DEMO_PASSWORD);
    expect(typed.text).toContain('textbox "Password" value="••••"');
    const snap = await ok("get_state_snapshot", { run_id: id, screenshot: false });
    const click = await ok("execute_step", {
      run_id: id,
      action: "click",
      params: { target: { description: "Sign in button", css: "#login-btn" } },
      screenshot: true,
    });
    expect(click.data.step).toMatchObject({ status: "passed", strategy: "explicit" });
    expect(click.text).toContain('heading h1 "Dashboard"');
    expect(click.r.content.some((c) => c.type === "image")).toBe(true);
    const verified = await ok("verify_visual_state", {
      run_id: id,
      expect_text: ["Welcome, alice"],
      not_text: ["Sign in to Listly"],
    });
    expect(verified.data.verified).toBe(true);
    // A verdict is text: the screenshot only when asked for.
    expect(verified.r.content.every((c) => c.type === "text")).toBe(true);
    const pictured = await ok("verify_visual_state", {
      run_id: id,
      expect_text: ["Welcome"],
      screenshot: true,
    });
    expect(pictured.r.content.some((c) => c.type === "image")).toBe(true);
    // No vision model here: a state in words is refused with what to pass instead, not matched as text.
    const described = await call("verify_visual_state", {
      run_id: id,
      expected_state: 'the dashboard greets "Welcome, alice" and shows "Order confirmed"',
    });
    expect(described.isError).toBe(true);
    expect(text(described)).toMatch(
      /no vision model is configured .* does not offer sampling.*expect_text \["Welcome, alice","Order confirmed"\]/s,
    );
    const refusedUrl = await call("execute_step", {
      run_id: id,
      action: "navigate",
      params: { url: "http://10.1.2.3/admin" },
    });
    expect(refusedUrl.isError).toBe(true);
    expect(text(refusedUrl)).toMatch(/refused.*application's host/);
    const restored = await ok("restore_state", {
      run_id: id,
      snapshot_hash: snap.data.snapshot_hash,
    });
    expect(restored.data.urlMatches).toBe(true);
    const finished = await ok("finish_test", { run_id: id });
    expect(finished.data.status).toBe("passed");
    const report = await ok("get_report", { run_id: id });
    expect(JSON.stringify(report.data)).not.toContain(DEMO_PASSWORD);
  }, 120_000);

  it("analyzes a failure and compares screens", async () => {
    const failing = `name: Failing\napplication_url: ${v1.url}\ntest_steps:\n  - action: navigate\n    params: { url: /login }\n  - action: assert\n    params: { text: Nonexistent banner }\n    timeout: 1\n    max_retries: 0\n`;
    const { data } = await ok("start_test", {
      plan: failing,
      url: v1.url,
      waitForCompletion: true,
    });
    expect(data.status).toBe("failed");
    const analysis = await ok("analyze_failure", { run_id: data.run_id });
    expect(analysis.data).toMatchObject({ cause: "assertion_failed", failed_step: { index: 1 } });
    const triage = await client.getPrompt({
      name: "triage-failed-run",
      arguments: { run_id: data.run_id },
    });
    expect(JSON.stringify(triage.messages)).toContain("analyze_failure");
    const same = await ok("compare_screens", {
      a: { run_id: v1Run, step: 0 },
      b: { run_id: data.run_id, step: 0 },
    });
    expect(same.data.different).toBe(false);
    const differs = await ok("compare_screens", {
      a: { run_id: v1Run, step: 0 },
      b: { run_id: v1Run, step: 3 },
    });
    expect(differs.data.different).toBe(true);
  }, 120_000);

  it("heals a failed test from its failed step once the page is right again", async () => {
    // A page whose button is missing until it is "fixed".
    let fixed = false;
    const app = Fastify();
    app.get("/", async (_req, reply) =>
      reply
        .type("text/html")
        .send(
          `<!doctype html><html lang="en"><head><title>Flaky</title></head><body><h1>Orders</h1>${fixed ? "<button onclick=\"document.body.append('Saved')\">Save</button>" : ""}</body></html>`,
        ),
    );
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const plan = `name: Save an order\napplication_url: ${url}\ntest_steps:\n  - action: navigate\n    params: { url: / }\n  - action: click\n    params: { target: Save button }\n    timeout: 2\n    max_retries: 0\n  - action: assert\n    params: { text: Saved }\n`;
      const first = await ok("start_test", { plan, url: url, waitForCompletion: true });
      expect(first.data.status).toBe("failed");
      fixed = true;
      const healed = await ok("heal_test", { run_id: first.data.run_id, auto_commit: true });
      expect(healed.data.status).toBe("passed");
      const report = await ok("get_report", { run_id: first.data.run_id });
      expect(report.data.steps.map((x: { status: string }) => x.status)).toEqual([
        "passed",
        "passed",
        "passed",
      ]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it("stops a test, and cancelling a waiting call stops its test and records it", async () => {
    const started = await ok("start_test", {
      plan: plan(v1.url, "mcp-stop"),
      url: v1.url,
    });
    const stopped = await ok("stop_test", { run_id: started.data.run_id });
    expect(stopped.data.status).toBe("stopped");

    const controller = new AbortController();
    const cancelled = client
      .callTool(
        {
          name: "start_test",
          arguments: { plan: plan(v1.url, "mcp-cancel"), url: v1.url, waitForCompletion: true },
        },
        undefined,
        { signal: controller.signal, onprogress: (p) => p.progress === 2 && controller.abort("enough") },
      )
      .catch((error: Error) => error);
    expect(await cancelled).toBeInstanceOf(Error);
    const listed = await ok("list_tests", { status: "all", limit: 20 });
    const cancelledId = listed.data.runs.find((t: { plan_id: string }) => t.plan_id === "mcp-cancel").run_id;
    // The server stops the run after its current step: wait for the stop to be recorded.
    let report = await ok("get_report", { run_id: cancelledId });
    for (let i = 0; i < 100 && report.data.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      report = await ok("get_report", { run_id: cancelledId });
    }
    expect(report.data.status).toBe("stopped");
    expect(report.data.summary.passed).toBeLessThan(13);
  }, 120_000);

  it("reports metrics, reliability and health", async () => {
    for (const metric_type of ["execution", "quality", "system", "business"]) {
      const { data } = await ok("get_test_metrics", { metric_type, time_range: "1h" });
      expect(data.metric_type).toBe(metric_type);
    }
    expect((await ok("get_test_metrics", { metric_type: "execution" })).data.runs).toBeGreaterThanOrEqual(4);
    const scores = await ok("get_reliability_score", { entity_type: "test", entity_id: "mcp-demo" });
    expect(scores.data.scores[0]).toMatchObject({ entity_id: "mcp-demo", pass_rate: 1 });
    const health = await ok("get_system_health", {});
    expect(health.data).toMatchObject({ healthy: true, database: { ok: true }, browser: { ok: true } });
    const adapter = await ok("get_adapter_status", { adapter: "playwright" });
    expect(adapter.data).toMatchObject({ adapter: "playwright", ok: true });
    const vision = await ok("get_adapter_status", { adapter: "vision" });
    expect(vision.data).toMatchObject({
      active: "accessibility",
      circuit: "closed",
      checked: { accessibility: { status: "healthy" } },
    });
    expect(vision.data.history).toContainEqual(
      expect.objectContaining({
        type: "VisionAdapterHealthChanged",
        adapter: "accessibility",
        status: "healthy",
      }),
    );
    const listed = await ok("list_tests", { status: "passed" });
    expect(listed.data.runs.map((t: { run_id: string }) => t.run_id)).toContain(v1Run);
  }, 60_000);

  it("captures and approves a visual baseline, then checks both versions of the app against it", async () => {
    const page = { page: "demo-login", app_version: "1.0" };
    const early = await call("check_drift", { url: `${v1.url}/login`, ...page });
    expect(early.isError).toBe(true);
    expect(text(early)).toMatch(/no baseline for page "demo-login".*capture_baseline/s);

    const captured = await ok("capture_baseline", { url: `${v1.url}/login`, ...page });
    expect(captured.r.content.some((c) => c.type === "image")).toBe(true);
    await ok("approve_baseline", {
      baseline_id: captured.data.baseline_id,
      approved_by: "agent",
      screenshot_hash: captured.data.screenshot_hash,
    });
    const same = await ok("check_drift", { url: `${v1.url}/login`, ...page });
    expect(same.data).toMatchObject({ severity: "none", drift_detected: false });
    // v2 of the demo relabels the email field and moves the button above the form: steps that find the
    // field by its old label must heal, which is functional drift, found before any test runs.
    const next = await ok("check_drift", { url: `${v2.url}/login`, ...page });
    expect(next.data.severity).toBe("functional");
    expect(next.data.reasons, JSON.stringify(next.data.reasons)).toContain(
      'functional: textbox "Email" is now "Email address"',
    );
    expect(next.text).toMatch(/moved .*button "Sign in" by \d+ px/);
    const listed = await ok("list_baselines", { page: "demo-login" });
    expect(listed.data.baselines).toEqual([
      expect.objectContaining({ status: "approved", approved_by: "agent", detections: 2 }),
    ]);
    // A test can capture the pages it visits as baselines on its way.
    const run = await ok("start_test", {
      requirements: "Open /login\nExpect to see Sign in to Listly",
      url: v1.url,
      waitForCompletion: true,
      baselines: { capture: `mcp-${Date.now()}` },
    });
    expect(run.data.status).toBe("passed");
    const pages = await ok("list_baselines", { page: "/login" });
    expect(pages.data.baselines).toContainEqual(
      expect.objectContaining({ page_identifier: "/login", status: "captured" }),
    );
  }, 60_000);

  it("answers bad input with a tool error that says what to do next", async () => {
    const unknown = await call("get_report", { run_id: "00000000-0000-4000-8000-000000000000" });
    expect(unknown.isError).toBe(true);
    expect(text(unknown)).toMatch(/No run .* list_tests/);
    const badUrl = await call("start_test", {
      requirements: "Go to /login",
      url: "file:///etc/passwd",
    });
    expect(badUrl.isError).toBe(true);
    expect(text(badUrl)).toContain("url must be an http(s) URL");
    const notUuid = await call("stop_test", { run_id: "latest" });
    expect(notUuid.isError).toBe(true);
    expect(text(notUuid)).toContain("run_id must be a run id");
    const vague = await call("generate_test_plan", {
      requirements: "Make sure it feels fast",
      url: v1.url,
    });
    expect(vague.isError).toBe(true);
    expect(text(vague)).toMatch(/not understood[\s\S]*Rephrase/);
    const noSession = await call("describe_screen", { run_id: v1Run });
    expect(noSession.isError).toBe(true);
    expect(text(noSession)).toContain("interactive: true");
  });
});

describe.runIf(browsersAvailable)("MCP over Streamable HTTP and API keys", () => {
  let api: ApiHarness;
  let base: string;
  beforeAll(async () => {
    api = await apiHarness("keys");
    await api.app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(api.app.server.address() as { port: number }).port}/mcp?tools=all`;
  });
  afterAll(() => api?.close());

  const connectWith = async (key: string) => {
    const client = new Client({ name: "test", version: "1" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(base), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    return client;
  };

  it("refuses a connection without a valid key", async () => {
    const client = new Client({ name: "test", version: "1" });
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(base)))).rejects.toThrow(
      /send an API key/,
    );
  });

  it("refuses a runner's verdicts on heals and baseline approvals: reviewing needs an admin key", async () => {
    const client = await connectWith((await api.keys.create("ci-agent", "runner")).key);
    try {
      const verdict = (await client.callTool({
        name: "review_healing_events",
        arguments: { run_id: randomUUID(), decisions: [{ healing_id: randomUUID(), approved: true }] },
      })) as CallToolResult;
      expect(verdict.isError).toBe(true);
      expect(text(verdict)).toMatch(/admin role; this key is a runner/);
      const approval = (await client.callTool({
        name: "approve_baseline",
        arguments: { baseline_id: randomUUID(), approved_by: "ci" },
      })) as CallToolResult;
      expect(approval.isError).toBe(true);
      expect(text(approval)).toMatch(/admin role/);
    } finally {
      await client.close();
    }
  });

  it("gives a viewer's session the read-only tools only", async () => {
    const client = await connectWith((await api.keys.create("watcher", "viewer")).key);
    try {
      const listed = (await client.callTool({
        name: "list_tests",
        arguments: {},
      })) as CallToolResult;
      expect(listed.isError).toBeFalsy();
      const start = (await client.callTool({
        name: "start_test",
        arguments: { requirements: "Go to /", url: "http://127.0.0.1:9" },
      })) as CallToolResult;
      expect(start.isError).toBe(true);
      expect(text(start)).toMatch(/runner role/);
    } finally {
      await client.close();
    }
  });

  it("answers a request for an unknown session with 404, and one without a session with 400", async () => {
    const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
    const { key } = await api.keys.create("raw", "runner");
    const auth = { authorization: `Bearer ${key}` };
    const unknown = await fetch(base, {
      method: "POST",
      headers: { ...headers, ...auth, "mcp-session-id": "nope" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(unknown.status).toBe(404);
    const none = await fetch(base, {
      method: "POST",
      headers: { ...headers, ...auth },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(none.status).toBe(400);
  });
});
