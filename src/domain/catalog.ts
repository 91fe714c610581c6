import { BASELINE_EVENTS } from "./drift/baseline.js";
import { EventRegistry } from "./events/registry.js";
import { LOCATOR_EVENTS } from "./locators/locators.js";
import { RUN_EVENTS } from "./run/events.js";
import { VISION_EVENTS } from "./vision/breaker.js";

/** Every event type TestDriver writes. */
export function createEventRegistry(): EventRegistry {
  return new EventRegistry([...RUN_EVENTS, ...LOCATOR_EVENTS, ...VISION_EVENTS, ...BASELINE_EVENTS]);
}
