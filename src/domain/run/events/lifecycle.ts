import { z } from "zod";
import { defineEvent } from "../../events/registry.js";
import { at, atFromEnvelope, driver, index, StoredPlan, StoredStep, sha256 } from "./shared.js";

/** A run's life: requested with its plan, started, healed, completed, stopped and resumed. */

export const RunRequested = defineEvent({
  type: "RunRequested",
  version: 2,
  schema: z.object({
    run_id: z.string().uuid(),
    application_url: z.string(),
    application_version: z.string().optional(),
    driver,
    source: z.enum(["plan", "requirements", "api", "replay"]),
    requested_by: z.string().optional(),
    /** The run this one replays, re-executes or heals. */
    related_run: z.string().uuid().optional(),
    /** Steps arrive one by one (an agent driving the browser) and the run ends when it is finished. */
    interactive: z.boolean().optional(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const PlanGenerated = defineEvent({
  type: "PlanGenerated",
  version: 2,
  schema: z.object({
    plan: StoredPlan,
    planner: z.enum(["file", "deterministic", "model", "recorded"]),
    /** Sentences of the requirements the planner could not turn into steps. */
    unparsed: z.array(z.string()),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const PlanGenerationFailed = defineEvent({
  type: "PlanGenerationFailed",
  version: 2,
  schema: z.object({ planner: z.string(), error: z.string(), attempts: z.number().int(), at }),
  upcasters: { 1: atFromEnvelope },
});

/** A step an interactive run was given while running; it joins the plan's test steps. */
export const StepAdded = defineEvent({
  type: "StepAdded",
  version: 2,
  schema: z.object({ index, step: StoredStep, at }),
  upcasters: { 1: atFromEnvelope },
});

export const RunStarted = defineEvent({
  type: "RunStarted",
  version: 2,
  schema: z.object({ driver, browser_version: z.string().optional(), at }),
  upcasters: { 1: atFromEnvelope },
});

export const RunHealing = defineEvent({
  type: "RunHealing",
  version: 2,
  schema: z.object({ from_index: index, reason: z.string(), at }),
  upcasters: { 1: atFromEnvelope },
});

export const RunCompleted = defineEvent({
  type: "RunCompleted",
  version: 2,
  schema: z.object({
    status: z.enum(["passed", "failed", "error"]),
    duration_ms: z.number().nonnegative(),
    passed: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    healed: z.number().int(),
    error: z.string().optional(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const RunStopped = defineEvent({
  type: "RunStopped",
  version: 2,
  schema: z.object({ reason: z.string(), snapshot_hash: sha256.optional(), resumable: z.boolean(), at }),
  upcasters: { 1: atFromEnvelope },
});

export const RunResumed = defineEvent({
  type: "RunResumed",
  version: 2,
  schema: z.object({ from_index: index, snapshot_hash: sha256.optional(), driver, at }),
  upcasters: { 1: atFromEnvelope },
});

export const LIFECYCLE_EVENTS = [
  RunRequested,
  PlanGenerated,
  PlanGenerationFailed,
  StepAdded,
  RunStarted,
  RunHealing,
  RunCompleted,
  RunStopped,
  RunResumed,
] as const;
