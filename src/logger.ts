import pino from "pino";

import type { Logger } from "./ports/logger.js";

export type { Logger } from "./ports/logger.js";

/** JSON logs on stderr only: stdout belongs to command output and the MCP stdio transport. */
export function createLogger(level: string = "info", name = "testdriver"): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: true }));
}
