import { z } from "zod";
import { observePage } from "../observe.js";
import { secretsOf } from "../secrets.js";
import { activeSession, defineTool, png, result, TestId } from "../tool.js";

export const describeScreen = defineTool({
  name: "describe_screen",
  title: "Describe the screen",
  description: `What an interactive test's page shows now: title, URL, headings, alerts, lists, counters and the elements you can act on (role, name). detail "full": every node; screenshot: true adds an image.`,
  readOnly: true,
  input: {
    test_id: TestId,
    detail: z.enum(["summary", "full"]).default("summary"),
    screenshot: z.boolean().default(false),
  },
  handler: async (args, ctx) => {
    const session = activeSession(ctx, args.test_id);
    const page = await observePage(
      session,
      ctx.tokenBudget,
      args.detail === "full",
      secretsOf(ctx, args.test_id),
    );
    if (args.detail === "summary") ctx.seen?.set(args.test_id, page);
    const images = args.screenshot ? [png(await session.screenshot())] : [];
    return result(page.text, { test_id: args.test_id, ...page.observation }, images);
  },
});
