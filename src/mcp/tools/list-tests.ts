import { z } from "zod";
import { listRuns } from "../../projections/run-report/queries.js";
import { defineTool, result } from "../tool.js";

export const listTests = defineTool({
  name: "list_tests",
  title: "List tests",
  description: "Recent runs, newest first: run_id, status, plan, url, step counts.",
  readOnly: true,
  input: {
    status: z
      .enum(["all", "pending", "running", "passed", "failed", "healing", "stopped", "error"])
      .default("all"),
    limit: z.number().int().min(1).max(500).default(50),
  },
  handler: async (args, ctx) => {
    await ctx.runner.catchUp();
    const runs = await listRuns(ctx.store.db, {
      status: args.status === "all" ? undefined : args.status,
      limit: args.limit,
    });
    const rows = runs.map((r) => ({
      run_id: r.run_id,
      status: r.status,
      plan_id: r.plan_id,
      plan_name: r.plan_name,
      url: r.application_url,
      application_version: r.application_version,
      driver: r.driver,
      requested_at: r.requested_at,
      duration_ms: r.duration_ms,
      total_steps: r.total_steps,
      passed_steps: r.passed_steps,
      failed_steps: r.failed_steps,
      healed_steps: r.healed_steps,
    }));
    const lines = rows.map(
      (r) => `${r.run_id} ${r.status} "${r.plan_name ?? ""}" ${r.passed_steps}/${r.total_steps} passed`,
    );
    return result(lines.length ? lines.join("\n") : "No runs yet: start one with start_test.", {
      runs: rows,
    });
  },
});
