import { z } from "zod";
import { compareScreens as cellDiff } from "../../adapters/browser/visual-diff.js";
import { defineTool, png, result } from "../tool.js";
import { loadScreen, ScreenRef } from "./screens.js";

export const compareScreens = defineTool({
  name: "compare_screens",
  title: "Compare two screens",
  description:
    "Compare two recorded screenshots ({run_id, step?}): similarity (1 = same), changed regions, both images.",
  readOnly: true,
  input: {
    a: ScreenRef,
    b: ScreenRef,
    threshold: z.number().min(0).max(1).default(0.98),
  },
  handler: async (args, ctx) => {
    const a = await loadScreen(ctx, ctx.blobs, args.a);
    const b = await loadScreen(ctx, ctx.blobs, args.b);
    const images = [png(a.bytes), png(b.bytes)];
    if (!ctx.vision) {
      // Without a vision layer (embedded uses), the cell-by-cell difference still answers.
      const d = cellDiff(a.bytes, b.bytes);
      const different = d.similarity < args.threshold;
      return result(
        `${different ? "Different" : "Same"}: similarity ${d.similarity.toFixed(4)} (${d.changedCells} of ${d.totalCells} cells changed)`,
        { similarity: d.similarity, different, a: a.hash, b: b.hash },
        images,
      );
    }
    const c = await ctx.vision.compareScreens({ png: a.bytes }, { png: b.bytes });
    const different = c.similarity_score < args.threshold;
    return result(
      `${different ? "Different" : "Same"}: similarity ${c.similarity_score.toFixed(4)} (threshold ${args.threshold}); ${c.semantic_changes}${
        c.differences.length
          ? ` Regions: ${c.differences
              .slice(0, 5)
              .map((r) => `${r.width}×${r.height} at ${r.x},${r.y}`)
              .join("; ")}.`
          : ""
      }`,
      {
        similarity: c.similarity_score,
        different,
        ssim: c.ssim,
        pixel_diff_ratio: c.pixel_diff_ratio,
        embedding_distance: c.embedding_distance ?? null,
        regions: c.differences,
        changes: c.semantic_changes,
        a: a.hash,
        b: b.hash,
      },
      images,
    );
  },
});
