import type { TestPlan } from "../../domain/plan/model.js";
import { parsePlan, validatePlan } from "../../domain/plan/parse.js";
import { planFromRequirementsText } from "../../domain/planner/requirements-plan.js";
import { ModelPlanner } from "../../engine/planners/model-planner.js";
import type { McpContext } from "../context.js";
import { ToolError } from "../tool.js";

/** A plan from what a tool was given: a plan (object or YAML/JSON text) or requirements. */
export async function planFromToolInput(
  ctx: McpContext,
  input: {
    plan?: string | Record<string, unknown>;
    requirements?: string;
    application_url: string;
    planner?: "deterministic" | "model";
  },
): Promise<{ plan: TestPlan; planner: "file" | "deterministic" | "model" }> {
  if (input.plan !== undefined) {
    const { plan_version: _recomputed, ...rest } = typeof input.plan === "string" ? {} : input.plan;
    const plan = typeof input.plan === "string" ? parsePlan(input.plan, "plan") : validatePlan(rest, "plan");
    return { plan: { ...plan, application_url: input.application_url }, planner: "file" };
  }
  if (!input.requirements) throw new ToolError("Give requirements (plain sentences) or a plan.");
  if (input.planner === "model") {
    if (!ctx.chat)
      throw new ToolError(
        'No chat model is configured (OPENAI_BASE_URL / OPENAI_API_KEY): use planner "deterministic", or pass a plan.',
      );
    return {
      plan: await new ModelPlanner(ctx.chat).plan(input.requirements, input.application_url),
      planner: "model",
    };
  }
  return {
    plan: planFromRequirementsText(input.requirements, input.application_url),
    planner: "deterministic",
  };
}
