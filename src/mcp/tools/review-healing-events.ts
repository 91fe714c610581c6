import { z } from "zod";
import { defineTool, loadTest, RunId, result, ToolError } from "../tool.js";

export const reviewHealingEvents = defineTool({
  name: "review_healing_events",
  title: "Review heals",
  description:
    "A run's heals (old/new locator, confidence, held or not), or record decisions [{healing_id, approved, note?}]; approved locators serve later runs.",
  input: {
    run_id: RunId,
    decisions: z
      .array(z.object({ healing_id: z.uuid(), approved: z.boolean(), note: z.string().min(1).optional() }))
      .optional(),
  },
  handler: async (args, ctx) => {
    // A verdict is a reviewer's, as over the HTTP API: an admin key (stdio sessions are local, with no role).
    if (args.decisions?.length && ctx.role && ctx.role !== "admin")
      throw new ToolError(
        `Recording verdicts on heals needs an API key with the admin role; this key is a ${ctx.role}. Listing the heals works.`,
        "forbidden",
      );
    let state = await loadTest(ctx, args.run_id);
    for (const d of args.decisions ?? []) {
      state = await ctx.engine.review(args.run_id, d.healing_id, {
        approved: d.approved,
        reviewer: "mcp-agent",
        note: d.note,
      });
    }
    const heals = Object.values(state.healings).map((h) => ({
      healing_id: h.healing_id,
      step_id: h.step_id,
      old_locator: h.old_locator?.selector ?? null,
      new_locator: h.new_locator.selector,
      method: h.method,
      confidence: h.confidence,
      decision: h.decision,
      held: h.successful ?? null,
      review: h.review ? (h.review.approved ? "approved" : "rejected") : "pending",
    }));
    const lines = heals.map(
      (h) =>
        `${h.healing_id} ${h.step_id}: ${h.old_locator} → ${h.new_locator} (${h.confidence.toFixed(2)}, ${h.decision}, ${h.review})`,
    );
    return result(lines.join("\n") || `Run ${args.run_id} has no heals.`, { run_id: args.run_id, heals });
  },
});
