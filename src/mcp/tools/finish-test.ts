import { defineTool, loadTest, RunId, result, runLine } from "../tool.js";

export const finishTest = defineTool({
  name: "finish_test",
  title: "Finish an interactive test",
  description: "End an interactive run: passed unless a step failed.",
  input: { run_id: RunId },
  handler: async (args, ctx) => {
    await loadTest(ctx, args.run_id);
    const state = await ctx.engine.finish(args.run_id);
    return result(`${runLine(state)}. Read it with get_report.`, {
      run_id: args.run_id,
      status: state.status,
    });
  },
});
