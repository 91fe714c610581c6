import { z } from "zod";
import { observePage } from "../observe.js";
import { secretsOf } from "../secrets.js";
import { activeSession, defineTool, png, RunId, result } from "../tool.js";

export const describeScreen = defineTool({
  name: "describe_screen",
  title: "Describe the screen",
  description:
    'What an interactive run\'s page shows: title, URL, headings, alerts, lists, counters, elements to act on. detail "full": every node.',
  readOnly: true,
  input: {
    run_id: RunId,
    detail: z.enum(["summary", "full"]).default("summary"),
    screenshot: z.boolean().default(false),
  },
  handler: async (args, ctx) => {
    const session = activeSession(ctx, args.run_id);
    const page = await observePage(
      session,
      ctx.tokenBudget,
      args.detail === "full",
      secretsOf(ctx, args.run_id),
    );
    if (args.detail === "summary") ctx.seen?.set(args.run_id, page);
    const images = args.screenshot ? [png(await session.screenshot())] : [];
    return result(page.text, { run_id: args.run_id, ...page.observation }, images);
  },
});
