import { z } from "zod";
import { UrlPolicy } from "../../adapters/browser/url-policy.js";
import { ACTION_TYPES } from "../../domain/plan/model.js";
import { validateStep } from "../../domain/plan/parse.js";
import { rememberSecrets } from "../secrets.js";
import { stepResult } from "../step-result.js";
import { activeSession, defineTool, loadTest, TestId } from "../tool.js";

export const executeStep = defineTool({
  name: "execute_step",
  title: "Execute one step",
  description: `Run one step in an interactive test (started with start_test and interactive: true) and record it.
Actions and params: navigate {url}, click {target}, type {target, text, key?, secret?}, assert {text | not_text | url_contains | title_contains | target+visible | target+value}, wait {ms | for: network_idle|dom_quiet|visual_stability | target}, scroll {target | x,y}, select {target, values}, hover {target}, drag_drop {source, destination}, upload_file {target, files}, execute_script {script}.
A target is a description ("Sign in button") or {css}, {xpath}, {role, description}. Elements are found by description through the accessibility tree; broken selectors are healed.
Returns the step's status, how the element was found, and what changed on the page: the whole page after a navigation, otherwise the elements that appeared (+) or went (-). describe_screen shows the whole page at any time; screenshot: true adds an image.`,
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
    activeSession(ctx, args.test_id);
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
    rememberSecrets(ctx, args.test_id, step.params);
    const done = await ctx.engine.addStep(args.test_id, step);
    return stepResult(ctx, args.test_id, done, { screenshot: args.screenshot });
  },
});
