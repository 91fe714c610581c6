import { z } from "zod";
import type { BlobStore } from "../../ports/blobs.js";
import type { RunDetails } from "../../projections/run-report/details.js";
import type { McpContext } from "../context.js";
import { loadTest, RunId, ToolError } from "../tool.js";

/** Which screenshot: one a test recorded at a step (the last one taken up to it), or the test's latest. */
export const ScreenRef = z.object({
  run_id: RunId,
  step: z.number().int().min(0).optional().describe("Step index; default: the latest"),
});

export function screenshotOf(state: RunDetails, step?: number): string | undefined {
  const snaps = state.snapshots.filter(
    (s) => s.screenshot_hash && (step === undefined || (s.index ?? -1) <= step),
  );
  const fromSteps = state.steps
    .filter((s) => s.screenshot_hash && (step === undefined || s.index <= step))
    .map((s) => ({ index: s.index, hash: s.screenshot_hash! }));
  const candidates = [
    ...snaps.map((s) => ({ index: s.index ?? -1, hash: s.screenshot_hash! })),
    ...fromSteps,
  ].sort((a, b) => a.index - b.index);
  return candidates.at(-1)?.hash;
}

export async function loadScreen(ctx: McpContext, blobs: BlobStore, ref: z.infer<typeof ScreenRef>) {
  const state = await loadTest(ctx, ref.run_id);
  const hash = screenshotOf(state, ref.step);
  if (!hash)
    throw new ToolError(
      `Run ${ref.run_id} recorded no screenshot${ref.step === undefined ? "" : ` up to step ${ref.step}`}. Screenshots are taken with each snapshot when TESTDRIVER_SCREENSHOTS=all.`,
      "not_found",
    );
  return { hash, bytes: await blobs.get(hash) };
}
