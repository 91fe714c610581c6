import { PNG } from "pngjs";
import type { BoundingBox } from "../../ports/browser.js";

export interface CellDiff {
  /** Share of cells whose mean grey level changed by more than the tolerance: 1 means identical. */
  similarity: number;
  changedCells: number;
  totalCells: number;
}

/**
 * Compares two screenshots cell by cell (8×8 pixels, mean grey level, a small tolerance for anti-aliasing
 * and compression noise). A mean over the whole image would call a small moving element stable; counting
 * changed cells does not.
 */
export function compareScreens(
  a: Buffer,
  b: Buffer,
  options: { cell?: number; tolerance?: number; region?: BoundingBox } = {},
): CellDiff {
  const imgA = PNG.sync.read(a);
  const imgB = PNG.sync.read(b);
  if (imgA.width !== imgB.width || imgA.height !== imgB.height) {
    return { similarity: 0, changedCells: 1, totalCells: 1 };
  }
  const cell = options.cell ?? 8;
  const tolerance = options.tolerance ?? 4;
  const region = options.region ?? { x: 0, y: 0, width: imgA.width, height: imgA.height };
  const x0 = Math.max(0, Math.floor(region.x));
  const y0 = Math.max(0, Math.floor(region.y));
  const x1 = Math.min(imgA.width, Math.ceil(region.x + region.width));
  const y1 = Math.min(imgA.height, Math.ceil(region.y + region.height));
  let changed = 0;
  let total = 0;
  for (let cy = y0; cy < y1; cy += cell) {
    for (let cx = x0; cx < x1; cx += cell) {
      let sumA = 0;
      let sumB = 0;
      let n = 0;
      for (let y = cy; y < Math.min(cy + cell, y1); y++) {
        for (let x = cx; x < Math.min(cx + cell, x1); x++) {
          const i = (y * imgA.width + x) * 4;
          sumA += imgA.data[i]! * 0.299 + imgA.data[i + 1]! * 0.587 + imgA.data[i + 2]! * 0.114;
          sumB += imgB.data[i]! * 0.299 + imgB.data[i + 1]! * 0.587 + imgB.data[i + 2]! * 0.114;
          n++;
        }
      }
      total++;
      if (Math.abs(sumA - sumB) / n > tolerance) changed++;
    }
  }
  return { similarity: total === 0 ? 1 : 1 - changed / total, changedCells: changed, totalCells: total };
}
