import { comparePixels, cosineDistance } from "../../domain/vision/compare.js";
import type { BoundingBox, OCRResult, Screen, ScreenComparison } from "../../domain/vision/model.js";
import type { OnnxEmbedder } from "./onnx-embedder.js";
import { TesseractOcr } from "./tesseract-ocr.js";

/**
 * What every adapter can do without a model service: embeddings (onnxruntime), OCR (tesseract.js) and
 * screen comparison (pixels, SSIM, embedding distance). Shared by all adapters of a process, started lazily.
 */
export class LocalVision {
  private embedder?: Promise<OnnxEmbedder>;
  private readonly reader: TesseractOcr;

  constructor(private readonly options: { embeddingModelPath?: string } = {}) {
    this.reader = new TesseractOcr();
  }

  private model(): Promise<OnnxEmbedder> {
    // onnxruntime loads with the first embedding, not with every process that might ask for one.
    this.embedder ??= import("./onnx-embedder.js").then(({ OnnxEmbedder }) =>
      OnnxEmbedder.create({ modelPath: this.options.embeddingModelPath }),
    );
    // A model that fails to load is tried again next time rather than remembered as failed forever.
    this.embedder.catch(() => {
      this.embedder = undefined;
    });
    return this.embedder;
  }

  async embeddingModel(): Promise<string> {
    return (await this.model()).model;
  }

  async embed(png: Buffer, region?: BoundingBox): Promise<Float32Array> {
    return (await this.model()).embed(png, region);
  }

  ocr(png: Buffer, region?: BoundingBox, language?: string): Promise<OCRResult[]> {
    return this.reader.recognize(png, region, language);
  }

  /** Pixel, structural and embedding comparison; `semantic_changes` is a plain account of the numbers. */
  async compare(a: Screen, b: Screen, ignoreRegions?: BoundingBox[]): Promise<ScreenComparison> {
    const pixels = comparePixels(a.png, b.png, { ignoreRegions });
    const distance = cosineDistance(await this.embed(a.png), await this.embed(b.png));
    const similarity = Math.max(0, Math.min(1, Math.min(pixels.ssim, 1 - pixels.pixel_diff_ratio)));
    const semantic =
      pixels.diff_pixels === 0
        ? "No visible change."
        : `${(pixels.pixel_diff_ratio * 100).toFixed(2)} % of pixels changed in ${pixels.regions.length} region${pixels.regions.length === 1 ? "" : "s"}${pixels.size_changed ? "; the screen size changed" : ""}.`;
    return {
      similarity_score: similarity,
      differences: pixels.regions,
      semantic_changes: semantic,
      pixel_diff_ratio: pixels.pixel_diff_ratio,
      ssim: pixels.ssim,
      embedding_distance: distance,
    };
  }

  async close(): Promise<void> {
    const embedder = this.embedder;
    this.embedder = undefined;
    await Promise.all([this.reader.close(), embedder?.then((e) => e.close()).catch(() => {})]);
  }
}
