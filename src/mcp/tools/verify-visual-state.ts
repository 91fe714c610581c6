import { z } from "zod";
import { compareScreens } from "../../adapters/browser/visual-diff.js";
import type { VisualStateVerification } from "../../domain/vision/model.js";
import { captureScreen } from "../../engine/screen.js";
import { activeSession, defineTool, png, result } from "../tool.js";
import { loadScreen, ScreenRef } from "./screens.js";

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

export const verifyVisualState = defineTool({
  name: "verify_visual_state",
  title: "Verify the visual state",
  description: `Check that an interactive test's screen is as expected: texts that must be shown (expect_text), texts that must not (not_text), a state described in words (expected_state, judged by the vision adapter: quoted texts against the accessibility tree by default, the model when one is configured), and optionally that it looks like a recorded reference screenshot ({test_id, step}) within max_change (share of cells allowed to differ, default 0.02).
Returns verified true/false with each check's outcome, and the current screenshot.`,
  readOnly: true,
  input: {
    test_id: z.uuid(),
    expect_text: z.array(z.string().min(1)).default([]),
    not_text: z.array(z.string().min(1)).default([]),
    expected_state: z
      .string()
      .min(1)
      .optional()
      .describe(
        'What the screen should show, in words ("a success message saying "Saved""), judged by the vision adapter',
      ),
    reference: ScreenRef.optional(),
    max_change: z.number().min(0).max(1).default(0.02),
  },
  handler: async (args, ctx) => {
    const session = activeSession(ctx, args.test_id);
    const text = norm(await session.pageText());
    const checks = [
      ...args.expect_text.map((t) => ({ check: `shows "${t}"`, ok: text.includes(norm(t)) })),
      ...args.not_text.map((t) => ({ check: `does not show "${t}"`, ok: !text.includes(norm(t)) })),
    ];
    let judged: VisualStateVerification | undefined;
    if (args.expected_state && ctx.vision) {
      judged = await ctx.vision.verifyVisualState(await captureScreen(session), args.expected_state);
      checks.push({
        check: `${ctx.vision.status().active} sees: ${args.expected_state}${judged.matches ? "" : ` (${judged.discrepancies.join("; ") || judged.explanation})`}`,
        ok: judged.matches,
      });
    }
    const now = await session.screenshot();
    let visual: { similarity: number; reference: string } | undefined;
    if (args.reference) {
      const ref = await loadScreen(ctx, ctx.blobs, args.reference);
      const d = compareScreens(ref.bytes, now);
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
        test_id: args.test_id,
        verified,
        checks,
        ...(visual ? { visual } : {}),
        ...(judged ? { judged } : {}),
      },
      [png(now)],
    );
  },
});
