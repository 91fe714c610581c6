import { z } from "zod";
import { compareScreens as diff } from "../../adapters/browser/visual-diff.js";
import { defineTool, png, result } from "../tool.js";
import { loadScreen, ScreenRef } from "./screens.js";

export const compareScreens = defineTool({
  name: "testdriver.compareScreens",
  title: "Compare two screens",
  description: `Compare two recorded screenshots (each: a test_id and optionally a step index) cell by cell and say how much changed: similarity 1 means identical; below threshold (default 0.98) counts as a visual difference.
Use it to see whether a page looks as it did in an earlier run or step. Returns similarity, changed cells and both images.`,
  readOnly: true,
  input: {
    a: ScreenRef,
    b: ScreenRef,
    threshold: z.number().min(0).max(1).default(0.98),
  },
  handler: async (args, ctx) => {
    const a = await loadScreen(ctx, ctx.blobs, args.a);
    const b = await loadScreen(ctx, ctx.blobs, args.b);
    const d = diff(a.bytes, b.bytes);
    const different = d.similarity < args.threshold;
    return result(
      `${different ? "Different" : "Same"}: similarity ${d.similarity.toFixed(4)} (${d.changedCells} of ${d.totalCells} cells changed; threshold ${args.threshold})`,
      {
        similarity: d.similarity,
        changed_cells: d.changedCells,
        total_cells: d.totalCells,
        different,
        a: a.hash,
        b: b.hash,
      },
      [png(a.bytes), png(b.bytes)],
    );
  },
});
