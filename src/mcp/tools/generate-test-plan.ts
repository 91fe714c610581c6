import { stringify } from "yaml";
import { z } from "zod";
import { defineTool, HttpUrl, result } from "../tool.js";
import { planOf } from "./plan-of.js";

export const generateTestPlan = defineTool({
  name: "generate_test_plan",
  title: "Generate a test plan",
  description:
    "Requirements to a plan, not run (give it to start_test as plan). planner: deterministic = rules only; model = a model reads what the rules refuse; default: rules, then a model if any.",
  readOnly: true,
  input: {
    requirements: z.string().min(1),
    url: HttpUrl,
    planner: z.enum(["deterministic", "model"]).optional(),
  },
  handler: async (args, ctx) => {
    const { plan } = await planOf(ctx, args);
    const steps = plan.test_steps.map((s, i) => `${i + 1}. ${s.description}`);
    return result(`Plan "${plan.name}" (${plan.test_steps.length} steps):\n${steps.join("\n")}`, {
      plan,
      yaml: stringify(plan),
    });
  },
});
