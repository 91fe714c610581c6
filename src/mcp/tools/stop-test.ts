import { z } from "zod";
import { defineTool, loadTest, RunId, result, runLine } from "../tool.js";

export const stopTest = defineTool({
  name: "stop_test",
  title: "Stop a test",
  description: "Stop a run after its current step; save_state keeps the page's state to resume.",
  input: { run_id: RunId, save_state: z.boolean().default(true) },
  handler: async (args, ctx) => {
    await loadTest(ctx, args.run_id);
    const state = await ctx.engine.stop(args.run_id, {
      reason: "stopped by the agent",
      saveState: args.save_state,
    });
    return result(runLine(state), { run_id: args.run_id, status: state.status, stop: state.stop ?? null });
  },
});
