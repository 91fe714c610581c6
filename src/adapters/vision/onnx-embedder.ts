import { readFile } from "node:fs/promises";
import * as ort from "onnxruntime-node";
import { crop, decodePng, resizePlanar } from "../../domain/vision/image.js";
import { type BoundingBox, VisionInputError } from "../../domain/vision/model.js";
import { buildPerceptualModel, PERCEPTUAL_MODEL_NAME } from "./perceptual-model.js";

export interface EmbedderOptions {
  /** An image-embedding ONNX file (CLIP's vision tower and the like); the bundled perceptual model without. */
  modelPath?: string;
  /** Per-channel normalisation for RGB models; CLIP's by default. */
  mean?: [number, number, number];
  std?: [number, number, number];
}

const CLIP_MEAN: [number, number, number] = [0.48145466, 0.4578275, 0.40821073];
const CLIP_STD: [number, number, number] = [0.26862954, 0.26130258, 0.27577711];

/**
 * Image embeddings computed in-process with onnxruntime-node. The model's own input shape decides the
 * preprocessing: [N, 1, H, W] gets grey levels 0–1, [N, 3, H, W] gets RGB normalised per channel. The output
 * is flattened and L2-normalised, so cosine similarity is a dot product.
 */
export class OnnxEmbedder {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly model: string,
    private readonly input: { name: string; channels: 1 | 3; height: number; width: number },
    private readonly mean: [number, number, number],
    private readonly std: [number, number, number],
  ) {}

  static async create(options: EmbedderOptions = {}): Promise<OnnxEmbedder> {
    const bytes = options.modelPath ? await readFile(options.modelPath) : buildPerceptualModel();
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes);
    } catch (error) {
      throw new VisionInputError(
        "modelPath",
        `${options.modelPath ?? PERCEPTUAL_MODEL_NAME} is not a usable ONNX model: ${(error as Error).message}`,
      );
    }
    const meta = session.inputMetadata[0];
    const shape = meta && "shape" in meta ? meta.shape : undefined;
    const [, channels, height, width] = (shape ?? []).map((d) => (typeof d === "number" ? d : 224));
    if (!meta || shape?.length !== 4 || (channels !== 1 && channels !== 3))
      throw new VisionInputError(
        "modelPath",
        `the model's input must be an image tensor [N, 1|3, H, W], got ${JSON.stringify(shape)}`,
      );
    const name = options.modelPath ? `onnx:${options.modelPath.split("/").at(-1)}` : PERCEPTUAL_MODEL_NAME;
    return new OnnxEmbedder(
      session,
      name,
      { name: meta.name, channels, height: height!, width: width! },
      options.mean ?? CLIP_MEAN,
      options.std ?? CLIP_STD,
    );
  }

  async embed(png: Buffer, region?: BoundingBox): Promise<Float32Array> {
    const image = crop(decodePng(png), region);
    const { channels, height, width } = this.input;
    const planar = resizePlanar(image, width, height, channels);
    if (channels === 3) {
      const plane = width * height;
      for (let c = 0; c < 3; c++)
        for (let i = 0; i < plane; i++)
          planar[c * plane + i] = (planar[c * plane + i]! - this.mean[c]!) / this.std[c]!;
    }
    const feeds = { [this.input.name]: new ort.Tensor("float32", planar, [1, channels, height, width]) };
    const output = (await this.session.run(feeds))[this.session.outputNames[0]!]!;
    const vector = Float32Array.from(output.data as Float32Array);
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
    return vector;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
