import { z } from "zod";
import { pagePerformance } from "../../projections/page-performance.js";
import { defineTool, result } from "../tool.js";

const RANGE_MS = { "1h": 3600e3, "24h": 86400e3, "7d": 7 * 86400e3, "30d": 30 * 86400e3 } as const;

export const getMetrics = defineTool({
  name: "get_test_metrics",
  title: "Get metrics",
  description:
    "Metrics over a time range: execution (runs, durations), quality (pass rate, heals, page vitals), system (log, projection lag, browsers), business (plans, apps).",
  readOnly: true,
  input: {
    metric_type: z.enum(["execution", "quality", "system", "business"]),
    time_range: z.enum(["1h", "24h", "7d", "30d"]).default("24h"),
  },
  handler: async (args, ctx) => {
    await ctx.runner.catchUp();
    const from = new Date(Date.now() - RANGE_MS[args.time_range]);
    const q = async (sql: string) =>
      (await ctx.store.db.query<Record<string, unknown>>(sql, [from.toISOString()])).rows;
    let data: Record<string, unknown>;
    if (args.metric_type === "execution") {
      const [runs] = await q(
        `SELECT count(*)::int AS runs, count(*) FILTER (WHERE status = 'passed')::int AS passed,
                count(*) FILTER (WHERE status = 'failed')::int AS failed, count(*) FILTER (WHERE status IN ('running','pending','healing'))::int AS active,
                coalesce(avg(duration_ms), 0)::float AS avg_duration_ms, coalesce(max(duration_ms), 0)::float AS max_duration_ms
           FROM td_runs WHERE requested_at >= $1::timestamptz`,
      );
      const [steps] = await q(
        `SELECT count(*)::int AS steps, coalesce(avg(value), 0)::float AS avg_step_ms,
                coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY value), 0)::float AS p95_step_ms
           FROM td_metrics WHERE name = 'step_duration_ms' AND time >= $1::timestamptz`,
      );
      data = { ...runs, ...steps };
    } else if (args.metric_type === "quality") {
      const [runs] = await q(
        `SELECT count(*) FILTER (WHERE status IN ('passed','failed'))::int AS finished,
                count(*) FILTER (WHERE status = 'passed')::int AS passed, coalesce(sum(healed_steps), 0)::int AS healed_steps
           FROM td_runs WHERE requested_at >= $1::timestamptz`,
      );
      const [heals] = await q(
        `SELECT count(*) FILTER (WHERE name = 'healing_attempt')::int AS healing_attempts,
                coalesce(sum(value) FILTER (WHERE name = 'healing_successful'), 0)::int AS heals_held
           FROM td_metrics WHERE time >= $1::timestamptz`,
      );
      const finished = Number(runs!.finished);
      data = {
        ...runs,
        ...heals,
        pass_rate: finished ? Number(runs!.passed) / finished : null,
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
      const [b] = await q(
        `SELECT count(DISTINCT plan_id)::int AS plans, count(DISTINCT application_url)::int AS applications, count(*)::int AS runs
           FROM td_runs WHERE requested_at >= $1::timestamptz`,
      );
      const perPlan = await q(
        `SELECT plan_id, count(*)::int AS runs, count(*) FILTER (WHERE status = 'passed')::int AS passed
           FROM td_runs WHERE requested_at >= $1::timestamptz AND plan_id IS NOT NULL GROUP BY plan_id ORDER BY runs DESC LIMIT 20`,
      );
      data = { ...b, per_plan: perPlan };
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
