import pixelmatch from "pixelmatch";
import { decodePng, greyOf, padTo, type Rgba } from "./image.js";
import type { BoundingBox } from "./model.js";

export interface PixelComparison {
  /** Share of pixels that differ beyond the colour threshold, anti-aliasing excluded. */
  pixel_diff_ratio: number;
  diff_pixels: number;
  /** Mean structural similarity over 8×8 windows of grey levels (1 = identical). */
  ssim: number;
  /** Differing pixels grouped into regions (8-pixel cells, touching cells merged), largest first. */
  regions: BoundingBox[];
  /** How many differing pixels each region holds, in the same order. */
  region_pixels: number[];
  width: number;
  height: number;
  size_changed: boolean;
}

export interface CompareOptions {
  ignoreRegions?: BoundingBox[];
  /** pixelmatch's colour threshold (0–1); 0.1 is its default and tolerates compression noise. */
  threshold?: number;
  /** Ignore differences explained by the page being drawn up to a pixel off (default true). */
  shiftTolerance?: boolean;
  /** Regions smaller than this many differing pixels are noise (a caret blink, a stray pixel). */
  minRegionPixels?: number;
}

const CELL = 8;
const SHIFT_TOLERANCE = 16;

/**
 * Whether the pixel of `a` at (x, y) lies, channel by channel, within the range of `b`'s 3×3 neighbourhood
 * there (give or take a few levels). A page drawn a fraction of a pixel off blends neighbouring colours, so
 * its pixels stay inside that range; a new glyph or a new colour does not.
 */
function withinNeighbours(a: Rgba, b: Rgba, x: number, y: number): boolean {
  const i = (y * a.width + x) * 4;
  for (let c = 0; c < 3; c++) {
    let lo = 255;
    let hi = 0;
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= b.width || ny >= b.height) continue;
        const v = b.data[(ny * b.width + nx) * 4 + c]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    const v = a.data[i + c]!;
    if (v < lo - SHIFT_TOLERANCE || v > hi + SHIFT_TOLERANCE) return false;
  }
  return true;
}

function blank(image: Rgba, boxes: BoundingBox[]) {
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(b.x));
    const y0 = Math.max(0, Math.floor(b.y));
    const x1 = Math.min(image.width, Math.ceil(b.x + b.width));
    const y1 = Math.min(image.height, Math.ceil(b.y + b.height));
    for (let y = y0; y < y1; y++) image.data.fill(0, (y * image.width + x0) * 4, (y * image.width + x1) * 4);
  }
}

function ssimOf(a: Float32Array, b: Float32Array, width: number, height: number): number {
  const c1 = (0.01 * 255) ** 2;
  const c2 = (0.03 * 255) ** 2;
  let sum = 0;
  let windows = 0;
  for (let wy = 0; wy + CELL <= height; wy += CELL) {
    for (let wx = 0; wx + CELL <= width; wx += CELL) {
      let ma = 0;
      let mb = 0;
      for (let y = wy; y < wy + CELL; y++)
        for (let x = wx; x < wx + CELL; x++) {
          ma += a[y * width + x]!;
          mb += b[y * width + x]!;
        }
      const n = CELL * CELL;
      ma /= n;
      mb /= n;
      let va = 0;
      let vb = 0;
      let cov = 0;
      for (let y = wy; y < wy + CELL; y++)
        for (let x = wx; x < wx + CELL; x++) {
          const da = a[y * width + x]! - ma;
          const db = b[y * width + x]! - mb;
          va += da * da;
          vb += db * db;
          cov += da * db;
        }
      va /= n - 1;
      vb /= n - 1;
      cov /= n - 1;
      sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
      windows++;
    }
  }
  return windows === 0 ? 1 : sum / windows;
}

/** Connected groups of changed cells (8-neighbourhood), as pixel boxes. */
function regionsOf(
  counts: Uint32Array,
  cols: number,
  rows: number,
  minPixels: number,
  width: number,
  height: number,
): { box: BoundingBox; pixels: number }[] {
  const seen = new Uint8Array(cols * rows);
  const regions: { box: BoundingBox; pixels: number }[] = [];
  for (let start = 0; start < counts.length; start++) {
    if (!counts[start] || seen[start]) continue;
    let [x0, y0, x1, y1, pixels] = [cols, rows, 0, 0, 0];
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const c = stack.pop()!;
      const cx = c % cols;
      const cy = Math.floor(c / cols);
      pixels += counts[c]!;
      x0 = Math.min(x0, cx);
      y0 = Math.min(y0, cy);
      x1 = Math.max(x1, cx);
      y1 = Math.max(y1, cy);
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
          const n = ny * cols + nx;
          if (counts[n] && !seen[n]) {
            seen[n] = 1;
            stack.push(n);
          }
        }
    }
    if (pixels < minPixels) continue;
    const x = x0 * CELL;
    const y = y0 * CELL;
    regions.push({
      box: {
        x,
        y,
        width: Math.min(width, (x1 + 1) * CELL) - x,
        height: Math.min(height, (y1 + 1) * CELL) - y,
      },
      pixels,
    });
  }
  return regions.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
}

/**
 * Compares two screenshots: pixelmatch for the differing pixels (its anti-aliasing detection keeps font
 * smoothing out of the count), SSIM for how much the structure changed, and the differences clustered into
 * regions. Ignored regions are blanked in both images first. Images of different sizes are compared on the
 * larger canvas, so the added or lost area counts as changed.
 */
export function comparePixels(a: Buffer, b: Buffer, options: CompareOptions = {}): PixelComparison {
  const imgA = decodePng(a, "image1");
  const imgB = decodePng(b, "image2");
  const width = Math.max(imgA.width, imgB.width);
  const height = Math.max(imgA.height, imgB.height);
  const pa = padTo({ ...imgA, data: Buffer.from(imgA.data) }, width, height);
  const pb = padTo({ ...imgB, data: Buffer.from(imgB.data) }, width, height);
  if (options.ignoreRegions?.length) {
    blank(pa, options.ignoreRegions);
    blank(pb, options.ignoreRegions);
  }
  const out = Buffer.alloc(width * height * 4);
  const diffPixels = pixelmatch(pa.data, pb.data, out, width, height, {
    threshold: options.threshold ?? 0.1,
    includeAA: false,
    diffMask: true,
    diffColor: [255, 0, 0],
    aaColor: [0, 255, 0],
  });
  const tolerant = options.shiftTolerance ?? true;
  let counted = 0;
  const cols = Math.ceil(width / CELL);
  const rows = Math.ceil(height / CELL);
  const counts = new Uint32Array(cols * rows);
  if (diffPixels > 0) {
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        if (out[i] !== 255 || out[i + 1] !== 0 || out[i + 3] === 0) continue;
        if (tolerant && withinNeighbours(pa, pb, x, y) && withinNeighbours(pb, pa, x, y)) continue;
        counted++;
        counts[Math.floor(y / CELL) * cols + Math.floor(x / CELL)]!++;
      }
  }
  const regions = regionsOf(counts, cols, rows, options.minRegionPixels ?? 4, width, height);
  return {
    pixel_diff_ratio: counted / (width * height),
    diff_pixels: counted,
    ssim: ssimOf(greyOf(pa), greyOf(pb), width, height),
    regions: regions.map((r) => r.box),
    region_pixels: regions.map((r) => r.pixels),
    width,
    height,
    size_changed: imgA.width !== imgB.width || imgA.height !== imgB.height,
  };
}

export function cosineDistance(
  a: Float32Array | readonly number[],
  b: Float32Array | readonly number[],
): number {
  if (a.length !== b.length) throw new RangeError(`embeddings differ in length: ${a.length} and ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return na === nb ? 0 : 1;
  return Math.max(0, 1 - dot / Math.sqrt(na * nb));
}
