import { CORE_SETTINGS } from "./settings-core.js";
import { NETWORK_SETTINGS } from "./settings-network.js";
import { SERVICE_SETTINGS } from "./settings-services.js";

export type { Setting } from "./setting.js";

/**
 * Every setting once: where it lives in testdriver.config.yaml, its environment variable, its schema and
 * what it is for. The loader, `testdriver config` and the README's reference are all made from this table.
 */
export const SETTINGS = [...CORE_SETTINGS, ...NETWORK_SETTINGS, ...SERVICE_SETTINGS];
