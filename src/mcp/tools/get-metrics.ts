import { z } from "zod";
import { healsSince, stepTimesSince } from "../../projections/metrics.js";
import { pagePerformance } from "../../projections/page-performance.js";
import { runStatsSince } from "../../projections/run-report/queries.js";
import { defineTool, result } from "../tool.js";

const RANGE_MS = { "1h": 3600e3, "24h": 86400e3, "7d": 7 * 86400e3, "30d": 30 * 86400e3 } as const;

export const getMetrics = defineTool({
  name: "get_test_metrics",
  title: "Get metrics",
  description: "Metrics over a time range: execution, quality (pass rate, heals, vitals), system, business.",
  readOnly: true,
  input: {
    metric_type: z.enum(["execution", "quality", "system", "business"]),
    time_range: z.enum(["1h", "24h", "7d", "30d"]).default("24h"),
  },
  handler: async (args, ctx) => {
    await ctx.runner.catchUp();
    const from = new Date(Date.now() - RANGE_MS[args.time_range]);
    let data: Record<string, unknown>;
    if (args.metric_type === "execution") {
      const { runs, passed, failed, active, avg_duration_ms, max_duration_ms } = await runStatsSince(
        ctx.store.db,
        from,
      );
      data = {
        runs,
        passed,
        failed,
        active,
        avg_duration_ms,
        max_duration_ms,
        ...(await stepTimesSince(ctx.store.db, from)),
      };
    } else if (args.metric_type === "quality") {
      const { finished, passed, healed_steps } = await runStatsSince(ctx.store.db, from);
      data = {
        finished,
        passed,
        healed_steps,
        ...(await healsSince(ctx.store.db, from)),
        pass_rate: finished ? passed / finished : null,
        // Core Web Vitals per page, from runs with performance in scope: the trend of each page.
        pages: await pagePerformance(ctx.store.db, from),
      };
    } else if (args.metric_type === "system") {
      data = {
        projections: await ctx.runner.status(),
        event_log_head: await ctx.store.headPosition(),
        browser: ctx.pool.stats(),
        version: ctx.version,
      };
    } else {
      const { plans, applications, runs, per_plan } = await runStatsSince(ctx.store.db, from);
      data = { plans, applications, runs, per_plan };
    }
    return result(
      `${args.metric_type} metrics, last ${args.time_range}: ${JSON.stringify(data).slice(0, 400)}`,
      {
        metric_type: args.metric_type,
        time_range: args.time_range,
        ...data,
      },
    );
  },
});
