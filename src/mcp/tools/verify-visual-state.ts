import { z } from "zod";
import { compareScreens } from "../../adapters/browser/visual-diff.js";
import type { VisualStateVerification } from "../../domain/vision/model.js";
import { captureScreen } from "../../engine/screen.js";
import { NO_VISION_MODEL, visionModelOf } from "../model-vision.js";
import { activeSession, defineTool, png, RunId, result, ToolError } from "../tool.js";
import { loadScreen, ScreenRef } from "./screens.js";

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

/** Without a model, a state in words would be matched as literal text: refused, with what to pass instead. */
function refuseWords(expected: string): ToolError {
  const quoted = [...expected.matchAll(/["“']([^"”']+)["”']/g)].map((m) => m[1]!);
  const hint = quoted.length ? ` For this one: expect_text ${JSON.stringify(quoted)}.` : "";
  return new ToolError(
    `expected_state ("${expected}") cannot be judged in words: ${NO_VISION_MODEL}. Pass what to check instead: expect_text / not_text (texts the page must or must not show), reference (a recorded screen to look like), or use execute_step with action assert {target+visible | target+value | url_contains | title_contains | count}.${hint}`,
  );
}

export const verifyVisualState = defineTool({
  name: "verify_visual_state",
  title: "Verify the visual state",
  description:
    "Check an interactive run's page: expect_text/not_text, expected_state in words (a vision model judges), or like a reference screen within max_change (0-1).",
  readOnly: true,
  input: {
    run_id: RunId,
    expect_text: z.array(z.string().min(1)).default([]),
    not_text: z.array(z.string().min(1)).default([]),
    expected_state: z.string().min(1).optional(),
    reference: ScreenRef.optional(),
    max_change: z.number().min(0).max(1).default(0.02),
    screenshot: z.boolean().default(false),
  },
  handler: async (args, ctx) => {
    const session = activeSession(ctx, args.run_id);
    const model = args.expected_state ? await visionModelOf(ctx) : undefined;
    if (args.expected_state && !model) throw refuseWords(args.expected_state);
    const text = norm(await session.pageText());
    const checks = [
      ...args.expect_text.map((t) => ({ check: `shows "${t}"`, ok: text.includes(norm(t)) })),
      ...args.not_text.map((t) => ({ check: `does not show "${t}"`, ok: !text.includes(norm(t)) })),
    ];
    let judged: VisualStateVerification | undefined;
    if (args.expected_state && model) {
      judged = await model.adapter
        .verifyVisualState(await captureScreen(session), args.expected_state)
        .catch((error: Error) => {
          throw new ToolError(`${model.by} could not judge "${args.expected_state}": ${error.message}`);
        });
      ctx.logger?.info(
        { run: args.run_id, expected: args.expected_state, by: model.by, answer: judged },
        "vision model judged a state",
      );
      checks.push({
        check: `${model.by} sees: ${args.expected_state}${judged.matches ? "" : ` (${judged.discrepancies.join("; ") || judged.explanation})`}`,
        ok: judged.matches,
      });
    }
    const now = args.reference || args.screenshot ? await session.screenshot() : undefined;
    let visual: { similarity: number; reference: string } | undefined;
    if (args.reference) {
      const ref = await loadScreen(ctx, ctx.blobs, args.reference);
      const d = compareScreens(ref.bytes, now!);
      visual = { similarity: d.similarity, reference: ref.hash };
      checks.push({
        check: `looks like the reference (similarity ${d.similarity.toFixed(3)}, at least ${(1 - args.max_change).toFixed(3)})`,
        ok: 1 - d.similarity <= args.max_change,
      });
    }
    const verified = checks.every((c) => c.ok);
    return result(
      `${verified ? "Verified" : "Not verified"}:\n${checks.map((c) => `${c.ok ? "✓" : "✗"} ${c.check}`).join("\n")}`,
      {
        run_id: args.run_id,
        verified,
        checks,
        ...(visual ? { visual } : {}),
        ...(judged ? { judged } : {}),
      },
      args.screenshot && now ? [png(now)] : [],
    );
  },
});
