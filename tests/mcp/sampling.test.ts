import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  type CallToolResult,
  type CreateMessageRequest,
  CreateMessageRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { apiHarness } from "../support/api.js";
import { browsersAvailable } from "../support/browsers.js";
import { BIN, type McpConnection, stdioEnv, textOf } from "../support/mcp-clients.js";

type Asked = CreateMessageRequest["params"];
/** The scripted host model: what it answers to each request (by the task its system prompt names). */
type Script = (asked: Asked) => string;

/** A client that declares sampling and answers every sampling request from `script()`, recording each. */
function samplingClient(script: () => Script, asked: Asked[]): Client {
  const client = new Client({ name: "host", version: "1" }, { capabilities: { sampling: {} } });
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    asked.push(request.params);
    return {
      model: "scripted-model",
      role: "assistant",
      content: { type: "text", text: script()(request.params) },
    };
  });
  return client;
}

async function overStdio(client: Client): Promise<McpConnection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, "mcp", "--tools", "all"],
    env: stdioEnv(),
    stderr: "inherit",
  });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

async function overHttp(client: Client): Promise<McpConnection> {
  const api = await apiHarness("keys");
  const { key } = await api.keys.create("agent", "admin");
  await api.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = api.app.server.address() as { port: number };
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp?tools=all`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return {
    client,
    close: async () => {
      await client.close();
      await api.close();
    },
  };
}

const taskOf = (asked: Asked) => /Task: (\w+)/.exec(asked.systemPrompt ?? "")?.[1];
const promptOf = (asked: Asked) =>
  asked.messages
    .flatMap((m) => (Array.isArray(m.content) ? m.content : [m.content]))
    .map((c) => (c.type === "text" ? c.text : ""))
    .join("\n");
const imagesOf = (asked: Asked) =>
  asked.messages
    .flatMap((m) => (Array.isArray(m.content) ? m.content : [m.content]))
    .filter((c) => c.type === "image");

const SIGN_IN_STEPS = [
  { action: "type", params: { target: "Email field", text: "alice@example.com" } },
  { action: "type", params: { target: "Password field", text: DEMO_PASSWORD } },
  { action: "click", params: { target: "Sign in button" } },
];

describe.runIf(browsersAvailable).each([
  { transport: "stdio", connect: overStdio },
  { transport: "Streamable HTTP", connect: overHttp },
])("the client's model through MCP sampling, over $transport", ({ connect }) => {
  let demo: RunningDemo;
  let conn: McpConnection;
  const asked: Asked[] = [];
  let script: Script = () => "{}";
  const call = async (name: string, args: Record<string, unknown>) =>
    (await conn.client.callTool({ name, arguments: args }, undefined, {
      timeout: 120_000,
    })) as CallToolResult;
  // biome-ignore lint/suspicious/noExplicitAny: structuredContent is whatever each tool returns
  const ok = async (name: string, args: Record<string, unknown>): Promise<Record<string, any>> => {
    const r = await call(name, args);
    expect(r.isError, textOf(r)).toBeFalsy();
    return r.structuredContent as Record<string, unknown>;
  };

  beforeAll(async () => {
    demo = await serveDemo(1);
    conn = await connect(samplingClient(() => script, asked));
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await demo?.close();
  });

  it("says the client's model is there for vision questions", async () => {
    expect((await ok("get_adapter_status", { adapter: "vision" })).client_sampling).toBe(true);
  });

  it("plans the sentences the rules refuse with the client's model, and records that it did", async () => {
    asked.length = 0;
    script = () => JSON.stringify({ sentences: [{ sentence: "Sign in as alice", steps: SIGN_IN_STEPS }] });
    const run = await ok("start_test", {
      requirements: "Go to /login\nSign in as alice\nExpect to see Welcome, alice",
      url: demo.url,
      waitForCompletion: true,
    });
    expect(run.status).toBe("passed");
    // Only the refused sentence went to the model.
    expect(asked).toHaveLength(1);
    expect(taskOf(asked[0]!)).toBe("plan_sentences");
    expect(promptOf(asked[0]!)).toContain("1. Sign in as alice");
    expect(promptOf(asked[0]!)).not.toContain("Go to /login");
    const events = await conn.client.readResource({ uri: `testdriver://runs/${run.run_id}/events` });
    const log = JSON.parse((events.contents[0] as { text: string }).text) as {
      type: string;
      data: { planner: string; plan: { created_by: string; test_steps: { description: string }[] } };
    }[];
    const planned = log.find((e) => e.type === "PlanGenerated")!;
    expect(planned.data.planner).toBe("model");
    expect(planned.data.plan.created_by).toBe("deterministic-planner+model:mcp-sampling:scripted-model");
    expect(
      planned.data.plan.test_steps.filter(
        (s: { description: string }) => s.description === "Sign in as alice",
      ),
    ).toHaveLength(3);
  }, 120_000);

  it("refuses a reply that does not validate, twice, and runs nothing", async () => {
    asked.length = 0;
    const before = (await ok("list_tests", {})).runs.length;
    script = () =>
      JSON.stringify({
        sentences: [
          { sentence: "Sign in as alice", steps: [{ action: "teleport", params: { to: "inbox" } }] },
        ],
      });
    const r = await call("start_test", { requirements: "Go to /login\nSign in as alice", url: demo.url });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(
      /^\[invalid_plan\] Nothing was planned: model mcp-sampling:scripted-model returned invalid steps twice; last problem: .*action/,
    );
    expect(textOf(r)).toContain("Next:");
    // The second request carried the first answer's problems.
    expect(asked).toHaveLength(2);
    expect(promptOf(asked[1]!)).toContain("That answer is invalid");
    expect((await ok("list_tests", {})).runs.length).toBe(before);
  });

  it("locates what the page's tree does not name, and judges a state in words, by the screenshot", async () => {
    const started = await ok("start_test", { url: `${demo.url}/login`, interactive: true });
    const runId = started.run_id as string;
    try {
      const button = (await ok("find_element", { run_id: runId, description: "Sign in button" })).matches[0];
      expect(button.role).toBe("button");
      asked.length = 0;
      script = () =>
        JSON.stringify({
          found: true,
          element: { box: button.box, confidence: 0.9, element_type: "button", label: "Sign in" },
        });
      const seen = await ok("find_element", { run_id: runId, description: "the squiggle-shaped doodad" });
      expect(seen.by).toBe("the client's model (MCP sampling)");
      expect(seen.matches[0]).toMatchObject({ role: "button", name: "Sign in", selector: button.selector });
      expect(asked).toHaveLength(1);
      expect(taskOf(asked[0]!)).toBe("find_element");
      expect(promptOf(asked[0]!)).toContain("the squiggle-shaped doodad");
      expect(imagesOf(asked[0]!)).toEqual([expect.objectContaining({ mimeType: "image/png" })]);

      asked.length = 0;
      script = () =>
        JSON.stringify({ matches: true, confidence: 0.95, discrepancies: [], explanation: "a sign-in form" });
      const verified = await ok("verify_visual_state", {
        run_id: runId,
        expected_state: "an empty sign-in form waits for the user",
      });
      expect(verified.verified).toBe(true);
      expect(verified.checks[0].check).toMatch(
        /^the client's model \(MCP sampling\) sees: an empty sign-in form/,
      );
      expect(taskOf(asked[0]!)).toBe("verify_visual_state");
      expect(imagesOf(asked[0]!)).toHaveLength(1);

      // A judgement that is not the answer's shape is asked again once, then refused.
      script = () => "I think it looks fine!";
      const refused = await call("verify_visual_state", { run_id: runId, expected_state: "a calm page" });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toMatch(/could not judge "a calm page": .*malformed twice/);
    } finally {
      await call("finish_test", { run_id: runId });
    }
  }, 120_000);
});

describe.runIf(browsersAvailable).each([
  { transport: "stdio", connect: overStdio },
  { transport: "Streamable HTTP", connect: overHttp },
])("a client without sampling and no configured model, over $transport", ({ connect }) => {
  let demo: RunningDemo;
  let conn: McpConnection;
  const call = async (name: string, args: Record<string, unknown>) =>
    (await conn.client.callTool({ name, arguments: args })) as CallToolResult;

  beforeAll(async () => {
    demo = await serveDemo(1);
    conn = await connect(new Client({ name: "plain", version: "1" }));
  }, 60_000);
  afterAll(async () => {
    await conn?.close();
    await demo?.close();
  });

  it("says plainly that no model can read the sentences the rules refuse", async () => {
    const vision = await call("get_adapter_status", { adapter: "vision" });
    expect(textOf(vision)).toContain("The client's model (MCP sampling): not offered by this client.");
    const r = await call("generate_test_plan", {
      requirements: "Go to /login\nSign in as alice",
      url: demo.url,
    });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain("Sign in as alice");
    expect(textOf(r)).toContain("this MCP client does not offer sampling");
    expect(textOf(r)).toContain("Next:");
    const model = await call("generate_test_plan", {
      requirements: "Sign in as alice",
      url: demo.url,
      planner: "model",
    });
    expect(textOf(model)).toMatch(
      /^\[invalid_input\] No model is available: .* does not offer sampling: use planner "deterministic", or pass a plan\. Next:/,
    );
  });

  it("says plainly that no model can judge a state in words or look for what the tree does not name", async () => {
    const started = await call("start_test", { url: `${demo.url}/login`, interactive: true });
    const runId = (started.structuredContent as { run_id: string }).run_id;
    try {
      const judged = await call("verify_visual_state", { run_id: runId, expected_state: "a calm page" });
      expect(judged.isError).toBe(true);
      expect(textOf(judged)).toContain("this MCP client does not offer sampling");
      expect(textOf(judged)).toContain("Next:");
      const found = await call("find_element", { run_id: runId, description: "the squiggle-shaped doodad" });
      expect(found.isError).toBe(true);
      expect(textOf(found)).toContain("this MCP client does not offer sampling");
    } finally {
      await call("finish_test", { run_id: runId });
    }
  }, 60_000);
});
