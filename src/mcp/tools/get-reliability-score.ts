import { z } from "zod";
import { reliabilityScores } from "../../projections/reliability.js";
import { defineTool, result, ToolError } from "../tool.js";

export const getReliabilityScore = defineTool({
  name: "get_reliability_score",
  title: "Get reliability scores",
  description:
    "Reliability of plans, modules (URL path) or adapters: 0.5·pass rate + 0.3·stability + 0.2·recovery, with the parts.",
  readOnly: true,
  input: { entity_type: z.enum(["test", "module", "adapter"]), entity_id: z.string().min(1).optional() },
  handler: async (args, ctx) => {
    await ctx.runner.catchUp();
    const scores = (await reliabilityScores(ctx.store.db)).filter(
      (s) => s.entity_type === args.entity_type && (!args.entity_id || s.entity_id === args.entity_id),
    );
    if (args.entity_id && scores.length === 0)
      throw new ToolError(
        `No finished runs for ${args.entity_type} ${args.entity_id}. Call without entity_id to see the ${args.entity_type} ids that have scores.`,
        "not_found",
      );
    const lines = scores.map(
      (s) =>
        `${s.entity_id}: score ${s.score.toFixed(3)} (pass ${s.pass_rate.toFixed(2)}, stability ${s.stability.toFixed(2)}, recovery ${s.recovery_rate.toFixed(2)}, ${s.runs} runs)`,
    );
    return result(lines.join("\n") || `No finished runs for any ${args.entity_type} yet.`, { scores });
  },
});
