import { z } from "zod";
import { compareScreens } from "../../adapters/browser/visual-diff.js";
import { activeSession, defineTool, png, result } from "../tool.js";
import { loadScreen, ScreenRef } from "./screens.js";

const norm = (s: string) => s.replace(/\s+/g, " ").trim();

export const verifyVisualState = defineTool({
  name: "testdriver.verifyVisualState",
  title: "Verify the visual state",
  description: `Check that an interactive test's screen is as expected: texts that must be shown (expect_text), texts that must not (not_text), and optionally that it looks like a recorded reference screenshot ({test_id, step}) within max_change (share of cells allowed to differ, default 0.02).
Returns verified true/false with each check's outcome, and the current screenshot.`,
  readOnly: true,
  input: {
    test_id: z.uuid(),
    expect_text: z.array(z.string().min(1)).default([]),
    not_text: z.array(z.string().min(1)).default([]),
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
      { test_id: args.test_id, verified, checks, ...(visual ? { visual } : {}) },
      [png(now)],
    );
  },
});
