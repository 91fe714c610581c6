import { z } from "zod";
import type { BrowserSession } from "../../adapters/browser/types.js";
import { UrlPolicy } from "../../adapters/browser/url-policy.js";
import { ACTION_TYPES } from "../../domain/plan/model.js";
import { validateStep } from "../../domain/plan/parse.js";
import { observePage } from "../observe.js";
import { activeSession, defineTool, loadTest, png, result, TestId, ToolError } from "../tool.js";

/** The page after a step; a click that navigates may leave the page loading for a moment. */
async function observeSettled(session: BrowserSession, budget: number) {
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      return await observePage(session, budget);
    } catch {
      await new Promise((r) => setTimeout(r, 150 * attempt));
    }
  }
  return undefined;
}

export const executeStep = defineTool({
  name: "testdriver.executeStep",
  title: "Execute one step",
  description: `Run one step in an interactive test (started with testdriver.startTest and interactive: true) and record it.
Actions and params: navigate {url}, click {target}, type {target, text, key?, secret?}, assert {text | not_text | url_contains | title_contains | target+visible | target+value}, wait {ms | for: network_idle|dom_quiet|visual_stability | target}, scroll {target | x,y}, select {target, values}, hover {target}, drag_drop {source, destination}, upload_file {target, files}, execute_script {script}.
A target is a description ("Sign in button") or {css}, {xpath}, {role, description}. Elements are found by description through the accessibility tree; broken selectors are healed.
Returns the step's status, how the element was found, and a compact view of the page afterwards (screenshot: true adds an image).`,
  input: {
    test_id: TestId,
    action: z.enum(ACTION_TYPES),
    params: z.record(z.string(), z.unknown()),
    description: z.string().min(1).optional(),
    timeout: z.number().positive().max(600).optional().describe("Seconds"),
    screenshot: z.boolean().default(false),
  },
  handler: async (args, ctx) => {
    const state = await loadTest(ctx, args.test_id);
    const session = activeSession(ctx, args.test_id);
    const used = new Set(state.steps.map((s) => s.step_id));
    const step = validateStep(
      {
        action: args.action,
        params: args.params,
        ...(args.description ? { description: args.description } : {}),
        ...(args.timeout ? { timeout: args.timeout } : {}),
        // An agent retries by itself, knowing what it saw.
        max_retries: 0,
      },
      used,
      "step",
    );
    if (step.action === "navigate") {
      const url = new URL(String(step.params.url), state.application_url).toString();
      new UrlPolicy(ctx.allowedHosts).withOrigin(state.application_url!).check(url);
    }
    const done = await ctx.engine.addStep(args.test_id, step);
    if (done.status === "pending" || done.status === "running")
      throw new ToolError(`The test ended before step ${step.step_id} ran. Call testdriver.getReport.`);
    const target = done.located.find((l) => l.role === "target") ?? done.located[0];
    const page = await observeSettled(session, ctx.tokenBudget);
    const shot = args.screenshot ? [png(await session.screenshot())] : [];
    const head = `${done.status}: ${done.description}${done.error ? ` — ${done.error}` : ""}${target ? ` (found by ${target.strategy}, confidence ${target.confidence.toFixed(2)}: ${target.locator.selector})` : ""}`;
    return result(
      page ? `${head}\n\nPage now:\n${page.text}` : head,
      {
        test_id: args.test_id,
        step: {
          index: done.index,
          step_id: done.step_id,
          status: done.status,
          duration_ms: done.duration_ms ?? null,
          error: done.error ?? null,
          detail: done.detail ?? null,
          strategy: target?.strategy ?? null,
          confidence: target?.confidence ?? null,
          locator: target?.locator.selector ?? null,
          healing_id: done.healing_id ?? null,
        },
        page: page?.observation ?? null,
      },
      shot,
    );
  },
});
