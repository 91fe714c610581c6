import { z } from "zod";
import { defineEvent } from "../../events/registry.js";
import { at } from "./shared.js";

/**
 * A run's work moving between workers: when a worker's lease on a running run expires (the worker died or
 * froze), another worker takes the run over and resumes it from its last snapshot.
 */
export const RunTakenOver = defineEvent({
  type: "RunTakenOver",
  version: 1,
  schema: z.object({
    worker: z.string().min(1),
    previous_worker: z.string().min(1).optional(),
    /** When the previous worker's lease ran out. */
    lease_expired_at: z.iso.datetime().optional(),
    at,
  }),
});

export const LEASE_EVENTS = [RunTakenOver] as const;
