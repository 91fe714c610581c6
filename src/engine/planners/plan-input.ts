import type { TestPlan } from "../../domain/plan/model.js";
import { parsePlan, validatePlan } from "../../domain/plan/parse.js";
import type { StructuredChatModel } from "../../domain/planner/chat-model.js";
import { planFromRequirementsText } from "../../domain/planner/requirements-plan.js";
import { planRulesThenModel } from "./rules-then-model.js";

/**
 * A plan from what an API or tool caller gave: a plan (object, or YAML/JSON text) or requirements, planned by
 * the sentence rules or, when asked and given a chat model, by the rules and the model for what they refuse. A plan this service produced
 * carries its plan_version, which is always recomputed from the steps. `url` overrides the plan's own.
 */
export async function planFromInput(
  input: {
    plan?: string | Record<string, unknown>;
    requirements?: string;
    url?: string;
    planner?: "deterministic" | "model";
  },
  options: { source: string; chat?: StructuredChatModel; pageSummary?: () => Promise<string> },
): Promise<{ plan: TestPlan; planner: "file" | "deterministic" | "model" }> {
  if (input.plan !== undefined) {
    const { plan_version: _recomputed, ...rest } = typeof input.plan === "string" ? {} : input.plan;
    const plan =
      typeof input.plan === "string"
        ? parsePlan(input.plan, options.source)
        : validatePlan(rest, options.source);
    return { plan: input.url ? { ...plan, application_url: input.url } : plan, planner: "file" };
  }
  const requirements = input.requirements ?? "";
  const url = input.url ?? "";
  // The model is asked only for the sentences the rules refuse.
  if (input.planner === "model" && options.chat) {
    const { plan } = await planRulesThenModel(requirements, url, {
      chat: options.chat,
      pageSummary: options.pageSummary,
    });
    return { plan, planner: "model" };
  }
  return { plan: planFromRequirementsText(requirements, url), planner: "deterministic" };
}
