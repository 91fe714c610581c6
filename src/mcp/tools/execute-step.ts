import { z } from "zod";
import type { BrowserSession } from "../../adapters/browser/types.js";
import { UrlPolicy } from "../../adapters/browser/url-policy.js";
import { ACTION_TYPES } from "../../domain/plan/model.js";
import { validateStep } from "../../domain/plan/parse.js";
import { observePage, pageDelta } from "../observe.js";
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
Returns the step's status, how the element was found, and what changed on the page: the whole page after a navigation, otherwise the elements that appeared (+) or went (-). testdriver.describeScreen shows the whole page at any time; screenshot: true adds an image.`,
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
    const delta = page ? pageDelta(ctx.seen?.get(args.test_id), page) : undefined;
    if (page) ctx.seen?.set(args.test_id, page);
    const shot = args.screenshot ? [png(await session.screenshot())] : [];
    const found = target
      ? ` [${target.strategy} ${target.confidence.toFixed(2)} ${target.locator.selector}]`
      : "";
    const head = `${done.status}: ${done.description}${found}${done.error ? ` — ${done.error}` : ""}`;
    const outcome = {
      index: done.index,
      step_id: done.step_id,
      status: done.status,
      ...(done.error ? { error: done.error } : {}),
      ...(target
        ? {
            strategy: target.strategy,
            confidence: Math.round(target.confidence * 1000) / 1000,
            locator: target.locator.selector,
          }
        : {}),
      ...(done.healing_id ? { healing_id: done.healing_id } : {}),
    };
    return result(
      delta ? `${head}\n${delta.text}` : head,
      {
        test_id: args.test_id,
        step: outcome,
        page: !page
          ? null
          : delta?.changed === "new_page"
            ? { changed: "new_page", ...page.observation }
            : // The lines that changed are in the text; repeating them here would double what a model reads.
              {
                changed: delta?.changed,
                url: page.observation.url,
                added: delta?.added.length,
                removed: delta?.removed.length,
              },
      },
      shot,
    );
  },
});
