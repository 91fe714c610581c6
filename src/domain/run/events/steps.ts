import { z } from "zod";
import { defineEvent } from "../../events/registry.js";
import { ElementLocator, Fingerprint } from "../../healing/fingerprint.js";
import { ACTION_TYPES } from "../../plan/model.js";
import { at, atFromEnvelope, index, phase, role, sha256, stepId } from "./shared.js";

/** A step's attempts and what the browser showed during them. */

export const StepStarted = defineEvent({
  type: "StepStarted",
  version: 2,
  schema: z.object({
    index,
    step_id: stepId,
    phase,
    action: z.enum(ACTION_TYPES),
    description: z.string(),
    attempt: z.number().int().min(1),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const ElementLocated = defineEvent({
  type: "ElementLocated",
  version: 2,
  schema: z.object({
    index,
    step_id: stepId,
    role,
    strategy: z.enum(["explicit", "learned", "accessibility", "vision"]),
    locator: ElementLocator,
    confidence: z.number().min(0).max(1),
    fingerprint: Fingerprint,
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const WaitObserved = defineEvent({
  type: "WaitObserved",
  version: 2,
  schema: z.object({
    index,
    key: z.string(),
    wait: z.enum([
      "locate",
      "assert",
      "navigation",
      "network_idle",
      "dom_quiet",
      "visual_stability",
      "fixed",
    ]),
    duration_ms: z.number().nonnegative(),
    success: z.boolean(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const StepPassed = defineEvent({
  type: "StepPassed",
  version: 2,
  schema: z.object({
    index,
    step_id: stepId,
    attempt: z.number().int().min(1),
    duration_ms: z.number().nonnegative(),
    healing_id: z.string().uuid().optional(),
    /** What was checked, for reports ("text 'Welcome, alice' visible"). */
    detail: z.string().optional(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const StepFailed = defineEvent({
  type: "StepFailed",
  version: 2,
  schema: z.object({
    index,
    step_id: stepId,
    attempt: z.number().int().min(1),
    duration_ms: z.number().nonnegative(),
    error: z.string(),
    screenshot_hash: sha256.optional(),
    will_retry: z.boolean(),
    healing_id: z.string().uuid().optional(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const StepSkipped = defineEvent({
  type: "StepSkipped",
  version: 2,
  schema: z.object({ index, step_id: stepId, reason: z.string(), at }),
  upcasters: { 1: atFromEnvelope },
});

/** An agent set a failed step of its interactive run aside (it tried something else): it no longer counts. */
export const StepDropped = defineEvent({
  type: "StepDropped",
  version: 1,
  schema: z.object({ index, step_id: stepId, reason: z.string(), at }),
});

const FailedRequest = z.object({
  url: z.string(),
  method: z.string(),
  status: z.number().int().optional(),
  failure: z.string().optional(),
});

export const SnapshotCaptured = defineEvent({
  type: "SnapshotCaptured",
  version: 2,
  schema: z.object({
    index: index.optional(),
    snapshot_hash: sha256,
    screenshot_hash: sha256.optional(),
    url: z.string(),
    title: z.string(),
    dom_hash: sha256,
    /** Console errors and uncaught exceptions the session had seen by then (the last 20). */
    console_errors: z.array(z.string()).optional(),
    /** Requests that failed or answered 4xx/5xx by then (the last 20). */
    failed_requests: z.array(FailedRequest).optional(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const STEP_EVENTS = [
  StepStarted,
  ElementLocated,
  WaitObserved,
  StepPassed,
  StepFailed,
  StepSkipped,
  StepDropped,
  SnapshotCaptured,
] as const;
