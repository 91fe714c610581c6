import { z } from "zod";
import { UrlPolicy } from "../../adapters/browser/url-policy.js";
import { ACTION_TYPES } from "../../domain/plan/model.js";
import { validateStep } from "../../domain/plan/parse.js";
import { rememberSecrets } from "../secrets.js";
import { LISTED_STEP_PARAMS } from "../step-params.js";
import { stepResult } from "../step-result.js";
import { activeSession, defineTool, loadTest, RunId } from "../tool.js";

export const executeStep = defineTool({
  name: "execute_step",
  title: "Execute one step",
  description:
    'Run one step of an interactive run. params by action: navigate {url}, click {target, button?, click_count?}, type {target, text, key?, secret?}, press {key}, check {target, checked}, select {target, values}, hover|scroll {target}, fill_form {fields}, assert {text|not_text|url_contains|title_contains|target+visible|value|checked|count}, wait {ms|for|target|text}, drag_drop {source, destination}, upload_file {target, files}, execute_script {script}, dialog {accept, prompt_text?}, switch_tab {index}, go_back|go_forward|reload|close_tab {}. target: "Sign in button" or {description, role, css, within, nth, ref}. Returns the status and what changed (+/-).',
  input: {
    run_id: RunId,
    action: z.enum(ACTION_TYPES),
    // Checked against the action's own schema in the handler, so that a misspelt field is named.
    params: z.record(z.string(), z.unknown()),
    description: z.string().min(1).optional(),
    timeout: z.number().positive().max(600).optional().describe("Seconds"),
    screenshot: z.boolean().default(false),
  },
  listedInput: { params: LISTED_STEP_PARAMS },
  handler: async (args, ctx) => {
    const state = await loadTest(ctx, args.run_id);
    activeSession(ctx, args.run_id);
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
    rememberSecrets(ctx, args.run_id, step.params);
    const done = await ctx.engine.addStep(args.run_id, step);
    return stepResult(ctx, args.run_id, done, { screenshot: args.screenshot });
  },
});
