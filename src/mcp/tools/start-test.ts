import { z } from "zod";
import { validatePlan } from "../../domain/plan/parse.js";
import { buildRunReport } from "../../projections/run-report/report.js";
import { observePage } from "../observe.js";
import { defineTool, HttpUrl, result, runLine, ToolError } from "../tool.js";
import { planOf } from "./plan-of.js";

export const startTest = defineTool({
  name: "start_test",
  title: "Start a test",
  description:
    'Run a test of a web app from requirements (one action or check per sentence: "Go to /login", "Type bob into the Email field", "Expect to see Welcome") or a plan. interactive: opens url and returns the page; then send execute_step calls, end with finish_test. waitForCompletion: returns the result; else poll get_report.',
  input: {
    requirements: z.string().min(1).optional(),
    url: HttpUrl,
    plan: z
      .union([z.string().min(1), z.record(z.string(), z.unknown())])
      .optional()
      .describe("Instead of requirements: object or YAML/JSON"),
    browser: z.enum(["chrome", "chromium"]).default("chromium"),
    framework: z.enum(["auto", "playwright", "webdriverio"]).default("auto"),
    vision_model: z.string().default("auto"),
    test_scope: z
      .array(z.enum(["functional", "accessibility", "security", "performance"]))
      .default(["functional"]),
    timeout: z.number().int().min(1).max(3600).default(300).describe("Seconds"),
    planner: z.enum(["deterministic", "model"]).optional(),
    application_version: z.string().min(1).optional(),
    waitForCompletion: z.boolean().default(false),
    interactive: z.boolean().default(false),
    baselines: z
      .object({ capture: z.string().min(1).optional(), check: z.string().min(1).optional() })
      .strict()
      .optional()
      .describe("Record pages as baselines of version capture; compare with those of version check"),
  },
  // The spec's browser and vision_model: checked, but Chromium and the configured vision are what runs.
  unlisted: ["browser", "vision_model"],
  handler: async (args, ctx, extra) => {
    const driver = args.framework === "auto" ? undefined : args.framework;
    if (args.interactive) {
      const plan = validatePlan(
        {
          name: args.requirements ? args.requirements.slice(0, 80) : "Interactive session",
          requirements: args.requirements ?? "",
          application_url: args.url,
          test_scope: args.test_scope,
          test_steps: [{ action: "navigate", params: { url: args.url } }],
          created_by: "mcp-agent",
        },
        "interactive",
      );
      const { runId, first, done } = await ctx.engine.startInteractive({
        plan,
        driver,
        source: "api",
        applicationVersion: args.application_version,
        requestedBy: ctx.requester ?? "mcp",
        baselines: args.baselines,
      });
      done.catch((error) => ctx.logger?.error({ err: error }, "interactive test failed"));
      if (first.status !== "passed")
        throw new ToolError(
          `Could not open ${args.url}: ${first.error ?? first.status}. Check the URL and that the application is up, then start again.`,
        );
      // The first view of the page comes with the start: the agent's next step needs it.
      const session = ctx.engine.activeSession(runId);
      const page = session ? await observePage(session, ctx.tokenBudget) : undefined;
      if (page) ctx.seen?.set(runId, page);
      return result(
        `Interactive run ${runId} started. Send steps with execute_step, end with finish_test.${page ? `\n${page.text}` : ""}`,
        {
          run_id: runId,
          status: "running",
          interactive: true,
          ...(page ? { page: page.observation } : {}),
        },
      );
    }
    const { plan, planner } = await planOf(ctx, args);
    const runId = await ctx.engine.start({
      plan: { ...plan, test_scope: args.test_scope },
      driver,
      planner,
      source: args.plan ? "api" : "requirements",
      applicationVersion: args.application_version,
      requestedBy: ctx.requester ?? "mcp",
      baselines: args.baselines,
    });
    if (!args.waitForCompletion) {
      void ctx.engine.execute(runId).catch((error) => ctx.logger?.error({ err: error }, "test failed"));
      return result(
        `Run ${runId} started with ${plan.test_steps.length} steps. Call get_report with this run_id for its progress and result.`,
        { run_id: runId, status: "pending", steps: plan.test_steps.map((s) => s.description) },
      );
    }
    const token = extra._meta?.progressToken;
    const off = ctx.engine.onProgress((event) => {
      if (event.runId !== runId || event.kind !== "step_finished" || token === undefined) return;
      void extra
        .sendNotification({
          method: "notifications/progress",
          params: {
            progressToken: token,
            progress: (event.index ?? 0) + 1,
            total: event.total,
            message: `${event.status}: ${event.description}`,
          },
        })
        .catch(() => {});
    });
    // Cancelling the call, or the timeout, stops the test after its current step; the stop is recorded.
    const signal = AbortSignal.any([extra.signal, AbortSignal.timeout(args.timeout * 1000)]);
    try {
      const state = await ctx.engine.execute(runId, { signal });
      const report = buildRunReport(state);
      const failures = report.failures.map((f) => `step ${f.step_id} failed: ${f.error}`);
      return result([runLine(state), ...failures].join("\n"), {
        run_id: runId,
        status: state.status,
        summary: report.summary,
        steps: report.steps.map((s) => ({
          step_id: s.step_id,
          description: s.description,
          status: s.status,
          strategy: s.strategy,
          confidence: s.confidence,
          error: s.error,
        })),
        ...(state.stop ? { stop: state.stop } : {}),
      });
    } finally {
      off();
    }
  },
});
