import { afterEach, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { OpenAIChatModel } from "../../src/adapters/models/openai-chat.js";
import { RunCommands } from "../../src/commands/run-commands.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { runStreamId } from "../../src/domain/run/events.js";
import { ModelPlanner, PlanningError } from "../../src/engine/planners/model-planner.js";
import { readRunDetails } from "../../src/projections/run-report/queries.js";
import { type ScriptedAnswer, startOpenAIServer } from "../support/openai-server.js";

const goodPlan = JSON.stringify({
  name: "Sign in",
  test_steps: [
    { action: "navigate", params: { url: "/login" } },
    { action: "type", params: { target: "Email field", text: "alice@example.com" } },
    { action: "click", params: { target: "Sign in button" } },
    { action: "assert", params: { text: "Welcome, alice" } },
  ],
});
const servers: { close: () => Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function plannerWith(answers: ScriptedAnswer[]) {
  const server = await startOpenAIServer(answers);
  servers.push(server);
  const model = new OpenAIChatModel({
    baseURL: server.baseURL,
    apiKey: "test-key",
    model: "planner-test",
    maxRetries: 0,
  });
  return { planner: new ModelPlanner(model), requests: server.requests };
}

describe("the model planner", () => {
  it("asks for the plan as structured output and validates it", async () => {
    const { planner, requests } = await plannerWith([{ content: goodPlan }]);
    const plan = await planner.plan("A user signs in and is welcomed", "http://127.0.0.1:4400");
    expect(plan).toMatchObject({
      name: "Sign in",
      application_url: "http://127.0.0.1:4400",
      created_by: "model:planner-test",
    });
    expect(plan.test_steps.map((s) => s.action)).toEqual(["navigate", "type", "click", "assert"]);
    expect(requests).toHaveLength(1);
    const body = requests[0] as {
      model: string;
      response_format: { type: string; json_schema: { name: string } };
      messages: { role: string; content: string }[];
    };
    expect(body.model).toBe("planner-test");
    expect(body.response_format).toMatchObject({ type: "json_schema", json_schema: { name: "test_plan" } });
    expect(body.messages.at(-1)!.content).toContain("A user signs in and is welcomed");
  });

  it("repairs a malformed answer once, telling the model what was wrong", async () => {
    const { planner, requests } = await plannerWith([
      { content: '{"name": "Sign in", "test_steps": [' },
      { content: goodPlan },
    ]);
    const plan = await planner.plan("sign in", "http://127.0.0.1:4400");
    expect(plan.test_steps).toHaveLength(4);
    expect(requests).toHaveLength(2);
    const retry = (requests[1] as { messages: { content: string }[] }).messages.at(-1)!.content;
    expect(retry).toMatch(/That plan is invalid: not valid JSON/);
  });

  it("repairs an answer that breaks the plan schema, naming the bad fields", async () => {
    const bad = JSON.stringify({ name: "x", test_steps: [{ action: "teleport", params: {} }] });
    const { planner, requests } = await plannerWith([{ content: bad }, { content: goodPlan }]);
    await planner.plan("sign in", "http://127.0.0.1:4400");
    expect((requests[1] as { messages: { content: string }[] }).messages.at(-1)!.content).toMatch(
      /test_steps\[0\]\.action: action must be one of/,
    );
  });

  it("fails with a clear error after a second invalid answer, which the run records", async () => {
    const bad = JSON.stringify({ name: "x", test_steps: [] });
    const { planner } = await plannerWith([{ content: bad }, { content: "not json at all" }]);
    const attempt = planner.plan("sign in", "http://127.0.0.1:4400");
    await expect(attempt).rejects.toBeInstanceOf(PlanningError);
    await expect(attempt).rejects.toThrow(/returned an invalid plan twice; last problem: not valid JSON/);

    const { store } = await openEventStore({ kind: "pglite" }, createEventRegistry());
    try {
      const commands = new RunCommands(store);
      const runId = crypto.randomUUID();
      const error = (await attempt.catch((e: PlanningError) => e)) as PlanningError;
      const { state } = await commands.run(runId, {
        type: "RequestRun",
        at: new Date().toISOString(),
        run_id: runId,
        application_url: "http://127.0.0.1:4400",
        driver: "playwright",
        source: "requirements",
        planner: "model",
        planning_error: { error: error.message, attempts: error.attempts },
      });
      expect(state.status).toBe("error");
      const details = await readRunDetails(store, runId);
      expect(details).toMatchObject({
        status: "error",
        error: expect.stringContaining("invalid plan twice"),
      });
      const events = await store.readStream(runStreamId(runId));
      expect(events.map((e) => e.type)).toEqual(["RunRequested", "PlanGenerationFailed"]);
      expect(events[1]!.data).toMatchObject({ planner: "model", attempts: 2 });
    } finally {
      await store.close();
    }
  });

  it("reports a model service that fails", async () => {
    const { planner } = await plannerWith([{ status: 500, content: "overloaded" }]);
    await expect(planner.plan("sign in", "http://127.0.0.1:4400")).rejects.toThrow(
      /model planner-test could not be asked for a plan: 500/,
    );
  });
});
