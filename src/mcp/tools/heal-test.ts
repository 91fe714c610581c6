import { z } from "zod";
import { defineTool, loadTest, RunId, result, runLine } from "../tool.js";

export const healTest = defineTool({
  name: "heal_test",
  title: "Heal a failed test",
  description:
    "Re-run a failed run from its first failed step, finding moved elements by fingerprint. auto_commit approves held heals over 0.90; others await review_healing_events.",
  input: { run_id: RunId, auto_commit: z.boolean().default(false) },
  handler: async (args, ctx) => {
    await loadTest(ctx, args.run_id);
    const state = await ctx.engine.heal(args.run_id);
    const heals = Object.values(state.healings);
    const approved: string[] = [];
    if (args.auto_commit) {
      for (const h of heals) {
        if (h.successful === true && h.confidence > 0.9 && !h.review) {
          await ctx.engine.review(args.run_id, h.healing_id, {
            approved: true,
            reviewer: "mcp:auto_commit",
          });
          approved.push(h.healing_id);
        }
      }
    }
    const lines = heals.map(
      (h) =>
        `${h.step_id}: ${h.old_locator?.selector ?? "?"} → ${h.new_locator.selector} (${h.confidence.toFixed(2)}, ${h.decision}${h.successful === false ? ", did not hold" : ""}${approved.includes(h.healing_id) ? ", approved" : ""})`,
    );
    return result([runLine(state), ...lines].join("\n"), {
      run_id: args.run_id,
      status: state.status,
      heals: heals.map((h) => ({
        healing_id: h.healing_id,
        step_id: h.step_id,
        old_locator: h.old_locator?.selector ?? null,
        new_locator: h.new_locator.selector,
        confidence: h.confidence,
        decision: h.decision,
        successful: h.successful ?? null,
        approved: approved.includes(h.healing_id),
      })),
    });
  },
});
