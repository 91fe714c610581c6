import { PNG } from "pngjs";
import { type BoundingBox, VisionInputError } from "./model.js";

export interface Rgba {
  width: number;
  height: number;
  data: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function checkPng(bytes: Buffer, field: string): void {
  if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new VisionInputError(field, "is empty");
  if (!bytes.subarray(0, 8).equals(PNG_SIGNATURE))
    throw new VisionInputError(field, "is not a PNG image (screenshots are PNG)");
}

/** A PNG's size from its header, without decoding the pixels. */
export function pngSize(bytes: Buffer, field = "image"): { width: number; height: number } {
  checkPng(bytes, field);
  if (bytes.length < 24) throw new VisionInputError(field, "is a truncated PNG");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Decodes a PNG screenshot; anything else is the caller's mistake, named by the field it came in. */
export function decodePng(bytes: Buffer, field = "image"): Rgba {
  checkPng(bytes, field);
  try {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: png.data };
  } catch (error) {
    throw new VisionInputError(field, `could not be decoded: ${(error as Error).message}`);
  }
}

export function encodePng(image: Rgba): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  image.data.copy(png.data);
  return PNG.sync.write(png);
}

/** The part of the image inside the box (clipped to the image); the whole image without a box. */
export function crop(image: Rgba, box?: BoundingBox, field = "region"): Rgba {
  if (!box) return image;
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(image.width, Math.ceil(box.x + box.width));
  const y1 = Math.min(image.height, Math.ceil(box.y + box.height));
  if (x1 <= x0 || y1 <= y0) throw new VisionInputError(field, "lies outside the image");
  const width = x1 - x0;
  const height = y1 - y0;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    image.data.copy(
      data,
      y * width * 4,
      ((y0 + y) * image.width + x0) * 4,
      ((y0 + y) * image.width + x1) * 4,
    );
  }
  return { width, height, data };
}

/** Pads to the given size with opaque black, so that images of different sizes can be compared pixel by pixel. */
export function padTo(image: Rgba, width: number, height: number): Rgba {
  if (image.width === width && image.height === height) return image;
  const data = Buffer.alloc(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  for (let y = 0; y < Math.min(height, image.height); y++) {
    image.data.copy(
      data,
      y * width * 4,
      y * image.width * 4,
      y * image.width * 4 + Math.min(width, image.width) * 4,
    );
  }
  return { width, height, data };
}

const luma = (d: Buffer, i: number) => d[i]! * 0.299 + d[i + 1]! * 0.587 + d[i + 2]! * 0.114;

/** Grey levels (0–255), one per pixel. */
export function greyOf(image: Rgba): Float32Array {
  const out = new Float32Array(image.width * image.height);
  for (let p = 0; p < out.length; p++) out[p] = luma(image.data, p * 4);
  return out;
}

/**
 * Resizes by area averaging (each output pixel is the mean of the input pixels it covers) into planar
 * channels, values scaled to 0–1: one channel of grey or three of RGB. Area averaging keeps thin text and
 * borders as a faint mean instead of dropping them, which nearest-neighbour sampling would.
 */
export function resizePlanar(image: Rgba, width: number, height: number, channels: 1 | 3): Float32Array {
  const out = new Float32Array(channels * width * height);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let oy = 0; oy < height; oy++) {
    const y0 = Math.floor(oy * sy);
    const y1 = Math.max(y0 + 1, Math.floor((oy + 1) * sy));
    for (let ox = 0; ox < width; ox++) {
      const x0 = Math.floor(ox * sx);
      const x1 = Math.max(x0 + 1, Math.floor((ox + 1) * sx));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let y = y0; y < Math.min(y1, image.height); y++) {
        for (let x = x0; x < Math.min(x1, image.width); x++) {
          const i = (y * image.width + x) * 4;
          r += image.data[i]!;
          g += image.data[i + 1]!;
          b += image.data[i + 2]!;
          n++;
        }
      }
      const o = oy * width + ox;
      if (channels === 1) out[o] = (r * 0.299 + g * 0.587 + b * 0.114) / n / 255;
      else {
        out[o] = r / n / 255;
        out[width * height + o] = g / n / 255;
        out[2 * width * height + o] = b / n / 255;
      }
    }
  }
  return out;
}
