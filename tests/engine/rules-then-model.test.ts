import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OpenAIChatModel } from "../../src/adapters/models/openai-chat.js";
import { loadCorpus } from "../../src/bench/planner-corpus.js";
import { validateStep } from "../../src/domain/plan/parse.js";
import { RequirementsError } from "../../src/domain/planner/requirements-plan.js";
import { PlanningError } from "../../src/engine/planners/model-planner.js";
import { planRulesThenModel } from "../../src/engine/planners/rules-then-model.js";
import { type ModelServer, type Reply, startOpenAICompatible } from "../support/model-servers.js";

const url = "http://127.0.0.1:4400";
const corpus = loadCorpus();
const expectedBySentence = new Map(corpus.map((s) => [s.say, s]));
const SUMMARY =
  'Listly — http://127.0.0.1:4400/login\nheading h1 "Sign in to Listly"\ntextbox "Email"\nbutton "Sign in"';

/** The sentences a prompt asks for, as the planner numbered them. */
const asked = (prompt: string) =>
  prompt
    .split("Sentences to plan:\n")[1]!
    .split("\n")
    .map((l) => l.replace(/^\d+\. /, ""));

describe("the model plans only what the rules refuse", () => {
  let server: ModelServer;
  let chat: OpenAIChatModel;
  beforeAll(async () => {
    // A scripted model that answers each sentence with the corpus's expected steps, or none and a reason.
    server = await startOpenAICompatible((seen): Reply => {
      const sentences = asked(seen.prompt).map((sentence) => {
        const c = expectedBySentence.get(sentence);
        const steps = (c?.expected ?? []).map((s) => JSON.parse(JSON.stringify(s).replaceAll("{app}", url)));
        return c?.expected
          ? { sentence, steps }
          : { sentence, steps: [], reason: c?.refuse ?? "unknown sentence" };
      });
      return { content: JSON.stringify({ sentences }) };
    });
    chat = new OpenAIChatModel({ baseURL: server.url, apiKey: "k", model: "scripted", maxRetries: 0 });
  });
  afterAll(() => server?.close());

  it("runs the corpus through a model server: asked only for refused sentences, with the page, nothing misread", async () => {
    server.requests.length = 0;
    let understood = 0;
    let refused = 0;
    for (const s of corpus) {
      const then = /^\s*then\b/i.test(s.say);
      try {
        const { plan } = await planRulesThenModel(s.say, url, { chat, pageSummary: async () => SUMMARY });
        const used = new Set<string>();
        const expected = (s.expected ?? []).map((st) =>
          validateStep(JSON.parse(JSON.stringify(st).replaceAll("{app}", url)), used),
        );
        const got = plan.test_steps.slice(plan.test_steps[0]!.description === "Open the application" ? 1 : 0);
        expect(
          got.map((g) => [g.action, g.params]),
          s.say,
        ).toEqual(expected.map((e) => [e.action, e.params]));
        understood++;
      } catch (error) {
        if (!(error instanceof RequirementsError)) throw error;
        expect(s.expected, `${s.say} was refused (then: ${then})`).toBeUndefined();
        refused++;
      }
    }
    // Every sentence the model was asked for is one the rules refused, and each prompt carried the page.
    const askedSentences = server.requests.flatMap((r) => asked(r.prompt));
    const rulesRefused = corpus.filter((s) => s.expected === undefined).map((s) => s.say);
    expect(askedSentences.sort()).toEqual([...rulesRefused].sort());
    for (const r of server.requests) expect(r.prompt).toContain('button "Sign in"');
    expect(understood + refused).toBe(corpus.length);
    expect(refused).toBe(rulesRefused.length);
  }, 60_000);

  it("puts the model's steps where its sentences stand, and does not ask when the rules read everything", async () => {
    const model = await startOpenAICompatible(() => ({
      content: JSON.stringify({
        sentences: [
          {
            sentence: "The sign-in page greets the user",
            steps: [{ action: "assert", params: { text: "Sign in to Listly" } }],
          },
        ],
      }),
    }));
    try {
      const m = new OpenAIChatModel({ baseURL: model.url, apiKey: "k", model: "tiny", maxRetries: 0 });
      const { plan, modelSentences } = await planRulesThenModel(
        "Go to /login\nThe sign-in page greets the user\nClick the Sign in button",
        url,
        { chat: m, pageSummary: async () => SUMMARY },
      );
      expect(plan.test_steps.map((s) => s.action)).toEqual(["navigate", "assert", "click"]);
      expect(modelSentences).toEqual(["The sign-in page greets the user"]);
      expect(plan.created_by).toBe("deterministic-planner+model:tiny");
      expect(model.requests).toHaveLength(1);
      await planRulesThenModel("Go to /login\nClick the Sign in button", url, { chat: m });
      expect(model.requests).toHaveLength(1);
    } finally {
      await model.close();
    }
  });

  it("validates the model's steps like any plan's: an unknown parameter is asked again once, then refused", async () => {
    const bad = {
      sentences: [
        { sentence: "Greet me", steps: [{ action: "click", params: { target: "Hi", force: true } }] },
      ],
    };
    const good = {
      sentences: [{ sentence: "Greet me", steps: [{ action: "click", params: { target: "Hi" } }] }],
    };
    const model = await startOpenAICompatible(() => ({ content: JSON.stringify(good) }));
    try {
      model.queue.push({ content: JSON.stringify(bad) });
      const m = new OpenAIChatModel({ baseURL: model.url, apiKey: "k", model: "tiny", maxRetries: 0 });
      const { plan } = await planRulesThenModel("Greet me", url, { chat: m });
      expect(plan.test_steps.at(-1)!.params).toEqual({ target: { description: "Hi" } });
      expect(model.requests.map((r) => r.repair)).toEqual([false, true]);
      expect(JSON.stringify(model.requests[1]!.body)).toContain("force");
      model.queue.push({ content: JSON.stringify(bad) }, { content: "not json" });
      await expect(planRulesThenModel("Greet me", url, { chat: m })).rejects.toThrow(PlanningError);
    } finally {
      await model.close();
    }
  });
});
