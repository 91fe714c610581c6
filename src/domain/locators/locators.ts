import { z } from "zod";
import { defineEvent } from "../events/registry.js";
import { ElementLocator, Fingerprint } from "../healing/fingerprint.js";

/**
 * What a plan has learned about its elements across runs: for each step and role, the locator and
 * fingerprint that last worked, and the heal candidates a person rejected. Stream `locators-<plan_id>`.
 */

/**
 * Which element of a step: its target, a drag's source or destination, or the nth field a form fill sets
 * (`field0`, `field1`, ...).
 */
export const ElementRole = z.union([
  z.enum(["target", "source", "destination"]),
  z.templateLiteral(["field", z.number().int().min(0).max(99)]),
]);
export type Role = z.infer<typeof ElementRole>;

const key = { step_id: z.string().min(1), role: ElementRole };

export const LocatorLearned = defineEvent({
  type: "LocatorLearned",
  version: 1,
  schema: z.object({
    ...key,
    locator: ElementLocator,
    fingerprint: Fingerprint,
    source: z.enum(["located", "healed", "approved"]),
    run_id: z.string().uuid(),
    healing_id: z.string().uuid().optional(),
  }),
});

export const LocatorRejected = defineEvent({
  type: "LocatorRejected",
  version: 1,
  schema: z.object({
    ...key,
    signature: z.string(),
    healing_id: z.string().uuid(),
    run_id: z.string().uuid(),
  }),
});

export const LOCATOR_EVENTS = [LocatorLearned, LocatorRejected] as const;

export type LocatorEvent =
  | { type: "LocatorLearned"; data: z.infer<typeof LocatorLearned.schema> }
  | { type: "LocatorRejected"; data: z.infer<typeof LocatorRejected.schema> };

export interface LearnedLocator {
  locator: ElementLocator;
  fingerprint: Fingerprint;
  source: "located" | "healed" | "approved";
  run_id: string;
}

export interface PlanLocators {
  version: number;
  learned: Record<string, LearnedLocator>;
  rejected: Record<string, string[]>;
}

export const locatorKey = (stepId: string, role: Role) => `${stepId}#${role}`;
export const locatorStreamId = (planId: string) => `locators-${planId}`;
export const initialPlanLocators = (): PlanLocators => ({ version: 0, learned: {}, rejected: {} });

export function evolveLocators(state: PlanLocators, event: LocatorEvent): PlanLocators {
  const k = locatorKey(event.data.step_id, event.data.role);
  if (event.type === "LocatorLearned") {
    const { locator, fingerprint, source, run_id } = event.data;
    return {
      ...state,
      version: state.version + 1,
      learned: { ...state.learned, [k]: { locator, fingerprint, source, run_id } },
    };
  }
  return {
    ...state,
    version: state.version + 1,
    rejected: { ...state.rejected, [k]: [...(state.rejected[k] ?? []), event.data.signature] },
  };
}

export type LocatorCommand =
  | {
      type: "Learn";
      run_id: string;
      entries: {
        step_id: string;
        role: Role;
        locator: ElementLocator;
        fingerprint: Fingerprint;
        source: "located" | "healed" | "approved";
        healing_id?: string;
      }[];
    }
  | { type: "Reject"; run_id: string; step_id: string; role: Role; signature: string; healing_id: string };

// Position moves with layout and viewport; it is not a reason to record a locator again.
const sameElement = (a: LearnedLocator, locator: ElementLocator, fingerprint: Fingerprint) =>
  JSON.stringify(a.locator) === JSON.stringify(locator) &&
  JSON.stringify({ ...a.fingerprint, box: null }) === JSON.stringify({ ...fingerprint, box: null });

export function decideLocators(command: LocatorCommand, state: PlanLocators): LocatorEvent[] {
  if (command.type === "Reject") {
    const k = locatorKey(command.step_id, command.role);
    if (state.rejected[k]?.includes(command.signature)) return [];
    return [{ type: "LocatorRejected", data: { ...command } }];
  }
  return command.entries
    .filter((e) => {
      const known = state.learned[locatorKey(e.step_id, e.role)];
      // An approval is recorded even for a known element: it marks the locator as reviewed.
      return !known || e.source === "approved" || !sameElement(known, e.locator, e.fingerprint);
    })
    .map((e) => ({ type: "LocatorLearned", data: { ...e, run_id: command.run_id } }));
}

export function isRejected(state: PlanLocators, stepId: string, role: Role, signature: string): boolean {
  return state.rejected[locatorKey(stepId, role)]?.includes(signature) ?? false;
}
