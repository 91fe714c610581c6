import { z } from "zod";
import { reliabilityScores } from "../../projections/reliability.js";
import { defineTool, result, ToolError } from "../tool.js";
import { adapterHealth } from "./get-system-health.js";

export const getAdapterStatus = defineTool({
  name: "testdriver.getAdapterStatus",
  title: "Get adapter status",
  description:
    "Health and track record of a browser adapter (playwright or webdriverio): whether it launches now, how long the check took, launches and crashes so far, and its reliability score over finished runs.",
  readOnly: true,
  input: { adapter: z.enum(["playwright", "webdriverio"]) },
  handler: async (args, ctx) => {
    if (!ctx.pool.kinds().includes(args.adapter))
      throw new ToolError(
        `The ${args.adapter} adapter is not configured here; use one of ${ctx.pool.kinds().join(", ")}.`,
      );
    const health = await adapterHealth(ctx, args.adapter);
    await ctx.runner.catchUp();
    const score = (await reliabilityScores(ctx.store.db)).find(
      (s) => s.entity_type === "adapter" && s.entity_id === args.adapter,
    );
    const stats = ctx.pool.stats();
    return result(
      `${args.adapter}: ${health.ok ? "launches" : "fails"} (${health.check_ms} ms); ${stats.launches[args.adapter] ?? 0} launches, ${stats.crashes} crashes in this process${score ? `; reliability ${score.score.toFixed(3)} over ${score.runs} runs` : ""}.`,
      {
        ...health,
        launches: stats.launches[args.adapter] ?? 0,
        crashes: stats.crashes,
        reliability: score ?? null,
      },
    );
  },
});
