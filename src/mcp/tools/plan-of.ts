import type { TestPlan } from "../../domain/plan/model.js";
import type { StructuredChatModel } from "../../domain/planner/chat-model.js";
import { RequirementsError } from "../../domain/planner/requirements-plan.js";
import { PlanningError } from "../../engine/planners/model-planner.js";
import { planFromInput } from "../../engine/planners/plan-input.js";
import type { McpContext } from "../context.js";
import { ToolError } from "../tool.js";

export const NO_MODEL =
  "No model is available: none is configured (OPENAI_BASE_URL / OPENAI_API_KEY) and this MCP client does not offer sampling";

/** The model that reads what the rules refuse: the configured one, else the client's own through sampling. */
export const chatOf = (ctx: McpContext): StructuredChatModel | undefined => ctx.chat ?? ctx.host?.()?.chat;

/**
 * A tool's plan or requirements as a plan, with refusals that tell the model what to give instead.
 * planner "deterministic" uses the sentence rules only; "model" needs a model for what they refuse; left
 * out, the rules plan and a model, when there is one, reads only the sentences they refused.
 */
export async function planOf(
  ctx: McpContext,
  input: {
    plan?: string | Record<string, unknown>;
    requirements?: string;
    url: string;
    planner?: "deterministic" | "model";
  },
): Promise<{ plan: TestPlan; planner: "file" | "deterministic" | "model" }> {
  if (input.plan === undefined && !input.requirements)
    throw new ToolError("Give requirements (plain sentences) or a plan.");
  const chat = input.plan === undefined && input.planner !== "deterministic" ? chatOf(ctx) : undefined;
  if (input.plan === undefined && input.planner === "model" && !chat)
    throw new ToolError(`${NO_MODEL}: use planner "deterministic", or pass a plan.`);
  const plan = (planner: "deterministic" | "model") =>
    planFromInput({ ...input, planner }, { source: "plan", chat });
  if (input.planner || !chat) {
    try {
      return await plan(input.planner ?? "deterministic");
    } catch (error) {
      // The rules' refusal, plus why no model read the refused sentences: said once, plainly.
      if (input.planner || !(error instanceof RequirementsError)) throw modelRefusal(error);
      throw new RequirementsError(`${error.message} (${NO_MODEL} to read them.)`, error.refused);
    }
  }
  // Rules first: a model is asked only when they refuse a sentence, and the plan records which planned it.
  try {
    return await plan("deterministic");
  } catch (error) {
    if (!(error instanceof RequirementsError)) throw error;
    return plan("model").catch((e) => {
      throw modelRefusal(e);
    });
  }
}

/** A model's answer that failed validation twice (or a refused request) is a refusal, never a guess run. */
function modelRefusal(error: unknown): unknown {
  if (!(error instanceof PlanningError)) return error;
  return new ToolError(
    `Nothing was planned: ${error.message}. Rephrase the sentences in a form the rules read (see the refusal without a model: planner "deterministic"), or pass a plan.`,
    "invalid_plan",
  );
}
