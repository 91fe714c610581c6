import type { VisionAdapter } from "../domain/vision/model.js";
import type { VisionLocator } from "./locate.js";

/**
 * The engine's last resort in locating an element: ask the vision adapter for a box. Any failure is "not
 * found": the step's own error says what the accessibility matching found, which is the better message.
 */
export function visionLocator(vision: VisionAdapter): VisionLocator {
  return {
    findElement: async (png, description) => {
      try {
        const found = await vision.findElement({ png }, description);
        return { box: found.bounding_box, confidence: found.confidence };
      } catch {
        return null;
      }
    },
  };
}
