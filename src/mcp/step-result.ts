import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ExecutedStep } from "../engine/execute-step.js";
import type { McpContext } from "./context.js";
import { observationOf, pageDelta } from "./observe.js";
import { secretsOf } from "./secrets.js";
import { png, result } from "./tool.js";

/**
 * What an agent sees after a step it sent: the outcome and how the element was found in one line, then what
 * changed on the page (the whole page after a navigation). The one place that shapes a step's result.
 */
export async function stepResult(
  ctx: McpContext,
  runId: string,
  done: ExecutedStep,
  options: { screenshot?: boolean } = {},
): Promise<CallToolResult> {
  const { step, last } = done;
  const located = last.observations.flatMap((o) => (o.type === "ElementLocated" ? [o.data] : []));
  const target = located.find((l) => l.role === "target") ?? located[0];
  const error = last.outcome.passed ? undefined : last.outcome.error;
  const session = ctx.engine.activeSession(runId);
  const page = last.view
    ? observationOf(last.view, session?.jsErrors().length ?? 0, ctx.tokenBudget, false, secretsOf(ctx, runId))
    : undefined;
  const delta = page ? pageDelta(ctx.seen?.get(runId), page) : undefined;
  if (page) ctx.seen?.set(runId, page);
  const shot = options.screenshot && session ? [png(await session.screenshot())] : [];
  const found = target
    ? ` [${target.strategy} ${target.confidence.toFixed(2)} ${target.locator.selector}]`
    : "";
  const head = `${step.status}: ${step.description}${found}${error ? ` — ${error}` : ""}`;
  const outcome = {
    index: step.index,
    step_id: step.step_id,
    status: step.status,
    ...(error ? { error } : {}),
    ...(target
      ? {
          strategy: target.strategy,
          confidence: Math.round(target.confidence * 1000) / 1000,
          locator: target.locator.selector,
        }
      : {}),
    ...(step.healing_id ? { healing_id: step.healing_id } : {}),
  };
  const structured = {
    run_id: runId,
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
  };
  const text = delta ? `${head}\n${delta.text}` : head;
  const failed = step.status === "failed";
  return { ...result(text, structured, shot), ...(failed ? { isError: true } : {}) };
}
