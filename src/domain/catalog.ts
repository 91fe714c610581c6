import { EventRegistry } from "./events/registry.js";
import { LOCATOR_EVENTS } from "./locators/locators.js";
import { RUN_EVENTS } from "./run/events.js";

/** Every event type TestDriver writes. */
export function createEventRegistry(): EventRegistry {
  return new EventRegistry([...RUN_EVENTS, ...LOCATOR_EVENTS]);
}
