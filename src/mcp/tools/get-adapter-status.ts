import { z } from "zod";
import { VISION_STREAM } from "../../domain/vision/breaker.js";
import { reliabilityScores } from "../../projections/reliability.js";
import type { McpContext } from "../context.js";
import { defineTool, result, ToolError } from "../tool.js";
import { adapterHealth } from "./get-system-health.js";

export const getAdapterStatus = defineTool({
  name: "get_adapter_status",
  title: "Get adapter status",
  description:
    "A browser adapter's health (launches, crashes, score), or vision's: active adapter, circuit, switches.",
  readOnly: true,
  input: {
    adapter: z.enum(["playwright", "webdriverio", "vision"]).describe("A browser adapter, or vision"),
  },
  handler: async (args, ctx) => {
    if (args.adapter === "vision") return visionStatus(ctx);
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

async function visionStatus(ctx: McpContext) {
  if (!ctx.vision) throw new ToolError("No vision layer is configured in this server.");
  const health = await ctx.vision.checkHealth();
  const status = ctx.vision.status();
  const events = await ctx.store.readStream(VISION_STREAM);
  const history = events
    .slice(-10)
    .map((e) => ({ type: e.type, at: e.recordedAt.toISOString(), ...(e.data as object) }));
  // Questions in words (locate, a state) go to the client's model when no configured adapter is a model.
  const sampling = !!ctx.host?.();
  return result(
    `vision: ${status.active} serves (primary ${status.primary}${status.fallback ? `, fallback ${status.fallback}` : ""}; circuit ${status.circuit}; error rate ${(status.error_rate * 100).toFixed(1)} %; ${status.switches} switches).\n${Object.entries(
      health,
    )
      .map(([name, h]) => `${name}: ${h.status} (${h.latency_ms.toFixed(0)} ms) ${h.details}`)
      .join(
        "\n",
      )}\nThe client's model (MCP sampling): ${sampling ? "offered" : "not offered by this client"}.`,
    { ...status, checked: health, history, client_sampling: sampling },
  );
}
