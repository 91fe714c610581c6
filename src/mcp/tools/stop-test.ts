import { z } from "zod";
import { defineTool, loadTest, result, runLine, TestId } from "../tool.js";

export const stopTest = defineTool({
  name: "stop_test",
  title: "Stop a test",
  description:
    "Stop a running test after its current step; save_state keeps the page's state for a later resume.",
  input: { test_id: TestId, save_state: z.boolean().default(true) },
  handler: async (args, ctx) => {
    await loadTest(ctx, args.test_id);
    const state = await ctx.engine.stop(args.test_id, {
      reason: "stopped by the agent",
      saveState: args.save_state,
    });
    return result(runLine(state), { test_id: args.test_id, status: state.status, stop: state.stop ?? null });
  },
});
