import eng from "@tesseract.js-data/eng";
import { createWorker, type Worker } from "tesseract.js";
import { crop, decodePng, encodePng, type Rgba } from "../../domain/vision/image.js";
import type { BoundingBox, OCRResult } from "../../domain/vision/model.js";

/** Doubles the image (nearest neighbour): Tesseract reads 13–16 px screen text far better at twice the size. */
function upscale(image: Rgba, factor: number): Rgba {
  if (factor === 1) return image;
  const width = image.width * factor;
  const height = image.height * factor;
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      image.data.copy(
        data,
        (y * width + x) * 4,
        (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 4,
        (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 4 + 4,
      );
  return { width, height, data };
}

/**
 * OCR with tesseract.js, in-process (WebAssembly), with the English data from `@tesseract.js-data/eng`:
 * nothing is fetched. One worker is started on first use and reused. Results are lines of text with
 * their boxes in the screenshot's coordinates.
 */
export class TesseractOcr {
  private worker?: Promise<Worker>;

  constructor(private readonly options: { scale?: number; minConfidence?: number } = {}) {}

  private start(): Promise<Worker> {
    this.worker ??= createWorker(eng.code, 1, {
      langPath: eng.langPath,
      gzip: eng.gzip,
      cacheMethod: "none",
    });
    return this.worker;
  }

  async recognize(png: Buffer, region?: BoundingBox, language = "en"): Promise<OCRResult[]> {
    const image = crop(decodePng(png), region);
    const scale = this.options.scale ?? 2;
    const worker = await this.start();
    const { data } = await worker.recognize(encodePng(upscale(image, scale)), {}, { blocks: true });
    const ox = region ? Math.max(0, Math.floor(region.x)) : 0;
    const oy = region ? Math.max(0, Math.floor(region.y)) : 0;
    const lines = (data.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines));
    return lines
      .map((line) => ({
        text: line.text.trim(),
        bounding_box: {
          x: ox + Math.floor(line.bbox.x0 / scale),
          y: oy + Math.floor(line.bbox.y0 / scale),
          width: Math.ceil((line.bbox.x1 - line.bbox.x0) / scale),
          height: Math.ceil((line.bbox.y1 - line.bbox.y0) / scale),
        },
        confidence: line.confidence / 100,
        language,
      }))
      .filter((r) => r.text && r.confidence >= (this.options.minConfidence ?? 0.3));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker).terminate();
  }
}
