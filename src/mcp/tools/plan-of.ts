import type { TestPlan } from "../../domain/plan/model.js";
import { planFromInput } from "../../engine/planners/plan-input.js";
import type { McpContext } from "../context.js";
import { ToolError } from "../tool.js";

/** A tool's plan or requirements as a plan, with refusals that tell the model what to give instead. */
export async function planOf(
  ctx: McpContext,
  input: {
    plan?: string | Record<string, unknown>;
    requirements?: string;
    application_url: string;
    planner?: "deterministic" | "model";
  },
): Promise<{ plan: TestPlan; planner: "file" | "deterministic" | "model" }> {
  if (input.plan === undefined && !input.requirements)
    throw new ToolError("Give requirements (plain sentences) or a plan.");
  if (input.plan === undefined && input.planner === "model" && !ctx.chat)
    throw new ToolError(
      'No chat model is configured (OPENAI_BASE_URL / OPENAI_API_KEY): use planner "deterministic", or pass a plan.',
    );
  return planFromInput({ ...input, url: input.application_url }, { source: "plan", chat: ctx.chat });
}
