import type { z } from "zod";
import { HEALING_EVENTS } from "./events/healing.js";
import { LEASE_EVENTS } from "./events/leases.js";
import { LIFECYCLE_EVENTS } from "./events/lifecycle.js";
import { NETWORK_EVENTS } from "./events/network.js";
import { QUALITY_EVENTS } from "./events/quality.js";
import { STEP_EVENTS } from "./events/steps.js";

/** Every event of a test run's stream (`run-<id>`). Field names follow the spec's snake_case models. */

export * from "./events/healing.js";
export * from "./events/leases.js";
export * from "./events/lifecycle.js";
export * from "./events/network.js";
export * from "./events/quality.js";
export { StoredPlan } from "./events/shared.js";
export * from "./events/steps.js";

export const RUN_EVENTS = [
  ...LIFECYCLE_EVENTS,
  ...STEP_EVENTS,
  ...HEALING_EVENTS,
  ...QUALITY_EVENTS,
  ...NETWORK_EVENTS,
  ...LEASE_EVENTS,
] as const;

type DataOf<D> = D extends { type: infer T; schema: infer S extends z.ZodType }
  ? { type: T; data: z.infer<S> }
  : never;
/** A run event as the domain sees it: type and data. */
export type RunEvent = DataOf<(typeof RUN_EVENTS)[number]>;
export type RunEventType = RunEvent["type"];
/** The data of one kind of run event. */
export type RunEventData<T extends RunEventType> = Extract<RunEvent, { type: T }>["data"];

/** How a step's element was found: the ElementLocated facts that outlive the step. */
export type Located = Omit<RunEventData<"ElementLocated">, "index" | "step_id" | "at">;

export const runStreamId = (runId: string) => `run-${runId}`;
