import {
  classifyDrift,
  DEFAULT_DRIFT_THRESHOLDS,
  type DriftThresholds,
  type DriftVerdict,
} from "../../domain/drift/classify.js";
import { diffStructure, type StructureDiff, type StructureNode } from "../../domain/drift/dom-diff.js";
import { comparePixels, cosineDistance } from "../../domain/vision/compare.js";
import type { BoundingBox } from "../../domain/vision/model.js";

export interface DriftInput {
  png: Buffer;
  nodes: readonly StructureNode[];
  embedding: Float32Array | readonly number[];
}

export interface DriftAnalysis extends DriftVerdict {
  similarity: number;
  pixel_diff_ratio: number;
  embedding_distance: number;
  changed_regions: BoundingBox[];
  /** Differing pixels in the largest-count region: what tells a real change from scattered noise. */
  max_region_pixels: number;
  structure: StructureDiff;
}

/**
 * Compares a page now with its baseline three ways (structure of the accessibility tree, pixels, embedding)
 * and classifies the drift by the rules of domain/drift/classify.
 */
export function detectDrift(
  baseline: DriftInput,
  current: DriftInput,
  options: { ignoreRegions?: BoundingBox[]; thresholds?: DriftThresholds } = {},
): DriftAnalysis {
  const pixels = comparePixels(baseline.png, current.png, { ignoreRegions: options.ignoreRegions });
  const structure = diffStructure(baseline.nodes, current.nodes);
  const distance =
    baseline.embedding.length === current.embedding.length
      ? cosineDistance(baseline.embedding, current.embedding)
      : 0;
  const verdict = classifyDrift(
    {
      structure,
      pixelDiffRatio: pixels.pixel_diff_ratio,
      regions: pixels.regions,
      regionPixels: pixels.region_pixels,
      embeddingDistance: distance,
      sizeChanged: pixels.size_changed,
    },
    options.thresholds ?? DEFAULT_DRIFT_THRESHOLDS,
  );
  return {
    ...verdict,
    similarity: Math.max(0, Math.min(1, Math.min(pixels.ssim, 1 - pixels.pixel_diff_ratio))),
    pixel_diff_ratio: pixels.pixel_diff_ratio,
    embedding_distance: distance,
    changed_regions: pixels.regions,
    max_region_pixels: Math.max(0, ...pixels.region_pixels),
    structure,
  };
}
