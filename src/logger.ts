import pino from "pino";

export type Logger = pino.Logger;

/** JSON logs on stderr only: stdout belongs to command output and the MCP stdio transport. */
export function createLogger(level: string = "info", name = "testdriver"): Logger {
  return pino({ name, level }, pino.destination({ fd: 2, sync: true }));
}
