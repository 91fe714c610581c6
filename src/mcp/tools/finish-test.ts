import { defineTool, loadTest, result, runLine, TestId } from "../tool.js";

export const finishTest = defineTool({
  name: "finish_test",
  title: "Finish an interactive test",
  description: "End an interactive test: passed, or failed if a step failed; writes its report.",
  input: { test_id: TestId },
  handler: async (args, ctx) => {
    await loadTest(ctx, args.test_id);
    const state = await ctx.engine.finish(args.test_id);
    return result(`${runLine(state)}. Read it with get_report.`, {
      test_id: args.test_id,
      status: state.status,
    });
  },
});
