import type pino from "pino";

/** Structured logs (pino's JSON lines); the composition root makes one, everyone else takes it. */
export type Logger = pino.Logger;
