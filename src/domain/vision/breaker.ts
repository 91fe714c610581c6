import { z } from "zod";
import { defineEvent } from "../events/registry.js";

/**
 * The module manager's decisions as pure functions: which vision adapter serves calls, when to switch to the
 * fallback, when to try the primary again (a circuit breaker). Stream `adapters-vision`.
 */

export const VisionAdapterSwitched = defineEvent({
  type: "VisionAdapterSwitched",
  version: 1,
  schema: z.object({
    from: z.string(),
    to: z.string(),
    reason: z.enum(["error_rate", "consecutive_failures", "health_check", "recovered", "manual"]),
    circuit: z.enum(["closed", "open", "half_open"]),
    error_rate: z.number().min(0).max(1),
    consecutive_failures: z.number().int().nonnegative(),
    last_error: z.string().optional(),
  }),
});

export const VisionAdapterHealthChanged = defineEvent({
  type: "VisionAdapterHealthChanged",
  version: 1,
  schema: z.object({
    adapter: z.string(),
    previous: z.enum(["unknown", "healthy", "degraded", "failed"]),
    status: z.enum(["healthy", "degraded", "failed"]),
    latency_ms: z.number().nonnegative(),
    error_rate: z.number().min(0).max(1),
    details: z.string(),
  }),
});

export const VISION_EVENTS = [VisionAdapterSwitched, VisionAdapterHealthChanged] as const;
export const VISION_STREAM = "adapters-vision";

export type VisionEvent =
  | { type: "VisionAdapterSwitched"; data: z.infer<typeof VisionAdapterSwitched.schema> }
  | { type: "VisionAdapterHealthChanged"; data: z.infer<typeof VisionAdapterHealthChanged.schema> };

export interface BreakerConfig {
  /** Switch when the primary's error rate over the window passes this (spec: 5 %). */
  errorRateThreshold: number;
  /** ... or after this many failures in a row (spec: 5). */
  consecutiveFailures: number;
  /** Calls the error rate is measured over; no rate-based switch before the window has this many. */
  window: number;
  /** How long the circuit stays open before one call tries the primary again. */
  cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerConfig = {
  errorRateThreshold: 0.05,
  consecutiveFailures: 5,
  window: 20,
  cooldownMs: 30_000,
};

export interface BreakerState {
  primary: string;
  fallback?: string;
  circuit: "closed" | "open" | "half_open";
  /** The primary's recent outcomes, newest last (true = success). */
  outcomes: boolean[];
  consecutiveFailures: number;
  openedAt?: number;
  lastError?: string;
  health: Record<string, "unknown" | "healthy" | "degraded" | "failed">;
  switches: number;
}

export const initialBreaker = (primary: string, fallback?: string): BreakerState => ({
  primary,
  fallback,
  circuit: "closed",
  outcomes: [],
  consecutiveFailures: 0,
  health: { [primary]: "unknown", ...(fallback ? { [fallback]: "unknown" } : {}) },
  switches: 0,
});

/** Which adapter a call made now goes to. A half-open circuit lets a call through to the primary. */
export function route(
  state: BreakerState,
  now: number,
  config: BreakerConfig,
): { adapter: string; probe: boolean } {
  if (state.circuit === "closed" || !state.fallback) return { adapter: state.primary, probe: false };
  if (state.circuit === "half_open" || now - (state.openedAt ?? now) >= config.cooldownMs)
    return { adapter: state.primary, probe: true };
  return { adapter: state.fallback, probe: false };
}

const rateOf = (outcomes: boolean[]) =>
  outcomes.length ? outcomes.filter((ok) => !ok).length / outcomes.length : 0;

function switched(
  state: BreakerState,
  circuit: BreakerState["circuit"],
  reason: z.infer<typeof VisionAdapterSwitched.schema>["reason"],
  now: number,
): { state: BreakerState; events: VisionEvent[] } {
  const toFallback = circuit === "open";
  const next: BreakerState = {
    ...state,
    circuit,
    openedAt: toFallback ? now : undefined,
    switches: state.switches + 1,
    ...(toFallback ? {} : { outcomes: [], consecutiveFailures: 0 }),
  };
  return {
    state: next,
    events: [
      {
        type: "VisionAdapterSwitched",
        data: {
          from: toFallback ? state.primary : state.fallback!,
          to: toFallback ? state.fallback! : state.primary,
          reason,
          circuit,
          error_rate: rateOf(state.outcomes),
          consecutive_failures: state.consecutiveFailures,
          ...(state.lastError ? { last_error: state.lastError.slice(0, 500) } : {}),
        },
      },
    ],
  };
}

/** Folds the outcome of a call the primary served. Failures of the fallback do not move the circuit. */
export function onOutcome(
  state: BreakerState,
  outcome: { adapter: string; ok: boolean; error?: string; probe: boolean },
  now: number,
  config: BreakerConfig,
): { state: BreakerState; events: VisionEvent[] } {
  if (outcome.adapter !== state.primary) return { state, events: [] };
  const outcomes = [...state.outcomes, outcome.ok].slice(-config.window);
  const next: BreakerState = {
    ...state,
    outcomes,
    consecutiveFailures: outcome.ok ? 0 : state.consecutiveFailures + 1,
    lastError: outcome.ok ? state.lastError : outcome.error,
  };
  if (!state.fallback) return { state: next, events: [] };
  if (outcome.probe) {
    // The trial call decides: back to the primary, or open again for another cooldown.
    return outcome.ok
      ? switched(next, "closed", "recovered", now)
      : { state: { ...next, circuit: "open", openedAt: now }, events: [] };
  }
  if (state.circuit !== "closed") return { state: next, events: [] };
  if (next.consecutiveFailures >= config.consecutiveFailures)
    return switched(next, "open", "consecutive_failures", now);
  if (outcomes.length >= config.window && rateOf(outcomes) > config.errorRateThreshold)
    return switched(next, "open", "error_rate", now);
  return { state: next, events: [] };
}

/** Folds a health check. A failed primary opens the circuit; a healthy one while open is tried next call. */
export function onHealth(
  state: BreakerState,
  adapter: string,
  health: {
    status: "healthy" | "degraded" | "failed";
    latency_ms: number;
    error_rate: number;
    details: string;
  },
  now: number,
): { state: BreakerState; events: VisionEvent[] } {
  const previous = state.health[adapter] ?? "unknown";
  const events: VisionEvent[] =
    previous === health.status
      ? []
      : [
          {
            type: "VisionAdapterHealthChanged",
            data: { adapter, previous, ...health, details: health.details.slice(0, 500) },
          },
        ];
  let next: BreakerState = { ...state, health: { ...state.health, [adapter]: health.status } };
  if (adapter === next.primary && next.fallback) {
    if (health.status === "failed" && next.circuit === "closed") {
      const s = switched({ ...next, lastError: health.details }, "open", "health_check", now);
      return { state: s.state, events: [...events, ...s.events] };
    }
    if (health.status === "healthy" && next.circuit === "open") next = { ...next, circuit: "half_open" };
  }
  return { state: next, events };
}
