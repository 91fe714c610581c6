import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { OnnxEmbedder } from "../../src/adapters/vision/onnx-embedder.js";
import {
  buildPerceptualModel,
  dctRows,
  PERCEPTUAL_MODEL_NAME,
} from "../../src/adapters/vision/perceptual-model.js";
import { cosineDistance } from "../../src/domain/vision/compare.js";
import { decodePng, resizePlanar } from "../../src/domain/vision/image.js";

function picture(
  width: number,
  height: number,
  draw: (x: number, y: number) => [number, number, number],
): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = draw(x, y);
      png.data.set([r, g, b, 255], (y * width + x) * 4);
    }
  return PNG.sync.write(png);
}
const page = picture(320, 200, (x, y) =>
  y > 40 && y < 60 && x > 20 && x < 200 ? [20, 20, 20] : [250, 250, 250],
);
const moved = picture(320, 200, (x, y) =>
  y > 120 && y < 140 && x > 20 && x < 200 ? [20, 20, 20] : [250, 250, 250],
);

/** The first part of the embedding computed in plain TypeScript: DCT of the mean-centred grey image. */
function referenceFrequencies(png: Buffer): number[] {
  const x = resizePlanar(decodePng(png), 64, 64, 1);
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const d = dctRows();
  const out: number[] = [];
  for (let u = 0; u < 16; u++)
    for (let v = 0; v < 16; v++) {
      let sum = 0;
      for (let i = 0; i < 64; i++)
        for (let j = 0; j < 64; j++) sum += d[u * 64 + i]! * (x[i * 64 + j]! - mean) * d[v * 64 + j]!;
      out.push(sum);
    }
  const norm = Math.hypot(...out);
  return out.map((v) => (v / norm) * Math.SQRT1_2);
}

describe("the bundled perceptual embedding model", () => {
  it("computes what its definition says: the low DCT frequencies match a plain implementation", async () => {
    const embedder = await OnnxEmbedder.create();
    const e = await embedder.embed(page);
    expect(embedder.model).toBe(PERCEPTUAL_MODEL_NAME);
    const reference = referenceFrequencies(page);
    for (let i = 0; i < 256; i++) expect(e[i]).toBeCloseTo(reference[i]!, 4);
    expect(Math.hypot(...e)).toBeCloseTo(1, 5);
    await embedder.close();
  });

  it("is the same bytes on every build, and places a moved block farther than a recoloured one", async () => {
    expect(Buffer.from(buildPerceptualModel()).equals(Buffer.from(buildPerceptualModel()))).toBe(true);
    const embedder = await OnnxEmbedder.create();
    const grey = picture(320, 200, (x, y) =>
      y > 40 && y < 60 && x > 20 && x < 200 ? [90, 90, 90] : [250, 250, 250],
    );
    const [a, b, c] = await Promise.all([page, moved, grey].map((p) => embedder.embed(p)));
    expect(cosineDistance(a!, c!)).toBeLessThan(cosineDistance(a!, b!));
    await embedder.close();
  });

  it("loads a model from a file, and names the file when it is not an image model", async () => {
    const dir = mkdtempSync(join(tmpdir(), "td-onnx-"));
    writeFileSync(join(dir, "perceptual.onnx"), buildPerceptualModel());
    const fromFile = await OnnxEmbedder.create({ modelPath: join(dir, "perceptual.onnx") });
    expect(fromFile.model).toBe("onnx:perceptual.onnx");
    expect((await fromFile.embed(page)).length).toBe(512);
    await fromFile.close();
    writeFileSync(join(dir, "broken.onnx"), "not a model");
    await expect(OnnxEmbedder.create({ modelPath: join(dir, "broken.onnx") })).rejects.toThrow(
      /^modelPath: .*broken\.onnx is not a usable ONNX model/,
    );
  });

  it("embeds a region alone, and refuses one outside the image", async () => {
    const embedder = await OnnxEmbedder.create();
    const region = await embedder.embed(page, { x: 0, y: 0, width: 160, height: 100 });
    expect(cosineDistance(region, await embedder.embed(page))).toBeGreaterThan(0.01);
    await expect(embedder.embed(page, { x: 400, y: 0, width: 10, height: 10 })).rejects.toThrow(
      /^region: lies outside/,
    );
    await embedder.close();
  });
});
