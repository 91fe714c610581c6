import { z } from "zod";
import { defineTool, result } from "../tool.js";

export const listTests = defineTool({
  name: "list_tests",
  title: "List tests",
  description: "Recent tests, newest first: test_id, status, plan, application, step counts.",
  readOnly: true,
  input: {
    status: z
      .enum(["all", "pending", "running", "passed", "failed", "healing", "stopped", "error"])
      .default("all"),
    limit: z.number().int().min(1).max(500).default(50),
  },
  handler: async (args, ctx) => {
    await ctx.runner.catchUp();
    const { rows } = await ctx.store.db.query<Record<string, unknown>>(
      `SELECT run_id AS test_id, status, plan_id, plan_name, application_url, application_version, driver,
              requested_at, duration_ms, total_steps, passed_steps, failed_steps, healed_steps
         FROM td_runs WHERE ($1::text = 'all' OR status = $1)
        ORDER BY requested_at DESC NULLS LAST LIMIT $2`,
      [args.status, args.limit],
    );
    const lines = rows.map(
      (r) => `${r.test_id} ${r.status} "${r.plan_name ?? ""}" ${r.passed_steps}/${r.total_steps} passed`,
    );
    return result(lines.length ? lines.join("\n") : "No tests yet: start one with start_test.", {
      tests: rows,
    });
  },
});
