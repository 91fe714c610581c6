import { PNG } from "pngjs";
import type { BoundingBox } from "./model.js";

/** A region of a PNG screenshot, with a margin, clamped to the image; undefined when it lies outside. */
export function cropPng(png: Buffer, box: BoundingBox, margin = 8): Buffer | undefined {
  const image = PNG.sync.read(png);
  const x0 = Math.max(0, Math.floor(box.x - margin));
  const y0 = Math.max(0, Math.floor(box.y - margin));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width + margin));
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height + margin));
  if (x1 <= x0 || y1 <= y0) return undefined;
  const out = new PNG({ width: x1 - x0, height: y1 - y0 });
  PNG.bitblt(image, out, x0, y0, x1 - x0, y1 - y0, 0, 0);
  return PNG.sync.write(out);
}
