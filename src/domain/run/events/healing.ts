import { z } from "zod";
import { defineEvent } from "../../events/registry.js";
import { ElementLocator, Fingerprint } from "../../healing/fingerprint.js";
import { at, atFromEnvelope, index, role, sha256, stepId } from "./shared.js";

/** Locators that stopped matching, what replaced them, and whether that held. */

export const HealingAttempted = defineEvent({
  type: "HealingAttempted",
  version: 2,
  schema: z.object({
    healing_id: z.string().uuid(),
    index,
    step_id: stepId,
    role,
    original_locator: ElementLocator.optional(),
    reason: z.string(),
    candidates: z.number().int().nonnegative(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const LocatorHealed = defineEvent({
  type: "LocatorHealed",
  version: 2,
  schema: z.object({
    healing_id: z.string().uuid(),
    index,
    step_id: stepId,
    role,
    old_locator: ElementLocator.optional(),
    new_locator: ElementLocator,
    method: z.enum(["dom_fingerprint", "semantic_search", "visual_similarity"]),
    confidence: z.number().min(0).max(1),
    decision: z.enum(["auto_commit", "propose", "manual_review", "reject"]),
    old_fingerprint: Fingerprint.optional(),
    new_fingerprint: Fingerprint,
    screenshot_before: sha256.optional(),
    screenshot_after: sha256.optional(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

/**
 * Whether a heal held up: the first check after it (an assert step or a step's expected outcome) passed or
 * failed. An unsuccessful heal's step counts as failed, never as healed.
 */
export const HealingVerified = defineEvent({
  type: "HealingVerified",
  version: 2,
  schema: z.object({
    healing_id: z.string().uuid(),
    successful: z.boolean(),
    by_index: index.optional(),
    reason: z.string(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const HealingReviewed = defineEvent({
  type: "HealingReviewed",
  version: 2,
  schema: z.object({
    healing_id: z.string().uuid(),
    approved: z.boolean(),
    reviewer: z.string().min(1),
    note: z.string().optional(),
    at,
  }),
  upcasters: { 1: atFromEnvelope },
});

export const HEALING_EVENTS = [HealingAttempted, LocatorHealed, HealingVerified, HealingReviewed] as const;
