import { consoleErrorsOf, failedRequestsOf } from "../../ports/page.js";
import { defineTool, loadTest, RunId, result, ToolError } from "../tool.js";

type Cause = { cause: string; suggestion: string };

/** The usual reasons a step fails, from its error and what the page recorded. */
function classify(error: string): Cause {
  if (/not found|no element|matches? no|could not find|not shown.*target/i.test(error))
    return {
      cause: "element_not_found",
      suggestion: "The element is gone or renamed: run heal_test, or check the page with get_state_snapshot.",
    };
  if (/matches \d+ elements/i.test(error))
    return {
      cause: "ambiguous_locator",
      suggestion: "Make the selector unique, or describe the element more precisely.",
    };
  if (/not actionable|covered|disabled|hidden/i.test(error))
    return {
      cause: "element_not_actionable",
      suggestion: "Something covers or disables the element: wait for it, or close the overlay first.",
    };
  if (/text ".*" (not shown|is still shown)|does not contain|expected outcome/i.test(error))
    return {
      cause: "assertion_failed",
      suggestion:
        "The page did not show what the step expected: compare the screenshot with the expectation; the application may have a bug.",
    };
  if (/timeout|timed out/i.test(error))
    return {
      cause: "timeout",
      suggestion: "The page was slow: raise the step's timeout, or wait for network_idle first.",
    };
  if (/refused/i.test(error))
    return {
      cause: "url_refused",
      suggestion: "Navigate only to the application's host, or add the host to TESTDRIVER_ALLOWED_HOSTS.",
    };
  if (/browser.*(died|crash|closed)/i.test(error))
    return {
      cause: "browser_crash",
      suggestion: "The browser process died: resume the run (start_test again, or the resume command).",
    };
  return {
    cause: "other",
    suggestion: "Read the error and the snapshot at the failure with get_state_snapshot.",
  };
}

export const analyzeFailure = defineTool({
  name: "analyze_failure",
  title: "Analyze a failure",
  description:
    "Why a run failed: failed step, error, likely cause, heals tried, console errors, failed requests, next action.",
  readOnly: true,
  input: { run_id: RunId },
  handler: async (args, ctx) => {
    const state = await loadTest(ctx, args.run_id);
    const failed = state.steps.find((s) => s.status === "failed");
    if (!failed && !state.error)
      throw new ToolError(
        `Run ${args.run_id} is ${state.status} with no failed step: there is nothing to analyze.`,
        "conflict",
      );
    const error = failed?.error ?? state.error ?? "";
    const { cause, suggestion } = classify(error);
    const ref = [...state.snapshots]
      .reverse()
      .find((s) => failed === undefined || (s.index ?? -1) <= failed.index);
    const snapshot = ref ? await ctx.snapshots.load(ref.snapshot_hash).catch(() => undefined) : undefined;
    const heals = Object.values(state.healings).filter((h) => !failed || h.index === failed.index);
    const analysis = {
      run_id: args.run_id,
      status: state.status,
      failed_step: failed
        ? {
            index: failed.index,
            step_id: failed.step_id,
            description: failed.description,
            attempts: failed.attempts,
          }
        : null,
      error,
      cause,
      suggestion,
      heals_tried: heals.map((h) => ({
        healing_id: h.healing_id,
        confidence: h.confidence,
        decision: h.decision,
        held: h.successful ?? null,
      })),
      page_url: snapshot?.url ?? null,
      console_errors: snapshot ? consoleErrorsOf(snapshot) : [],
      js_errors: snapshot?.jsErrors.map((e) => e.message) ?? [],
      failed_requests: snapshot ? failedRequestsOf(snapshot) : [],
      skipped_after: state.steps.filter((s) => s.status === "skipped").length,
    };
    return result(
      `${failed ? `Step ${failed.step_id} ("${failed.description}")` : "The run"} failed: ${error}\nLikely cause: ${cause}. ${suggestion}`,
      analysis,
    );
  },
});
