import { describe, expect, it } from "vitest";
import {
  type BreakerState,
  DEFAULT_BREAKER,
  initialBreaker,
  onHealth,
  onOutcome,
  route,
} from "../../src/domain/vision/breaker.js";

const config = { ...DEFAULT_BREAKER, cooldownMs: 1000 };
const fold = (state: BreakerState, outcomes: boolean[], now = 0, probe = false) =>
  outcomes.reduce(
    (acc, ok) => {
      const r = onOutcome(
        acc.state,
        { adapter: "openai", ok, probe, error: ok ? undefined : "HTTP 500" },
        now,
        config,
      );
      return { state: r.state, events: [...acc.events, ...r.events] };
    },
    { state, events: [] as ReturnType<typeof onOutcome>["events"] },
  );

describe("the vision circuit breaker", () => {
  const start = initialBreaker("openai", "accessibility");

  it("switches to the fallback after five failures in a row (spec default)", () => {
    const four = fold(start, [false, false, false, false]);
    expect(four.events).toEqual([]);
    const five = fold(four.state, [false]);
    expect(five.events).toEqual([
      {
        type: "VisionAdapterSwitched",
        data: expect.objectContaining({
          from: "openai",
          to: "accessibility",
          reason: "consecutive_failures",
          circuit: "open",
          consecutive_failures: 5,
          last_error: "HTTP 500",
        }),
      },
    ]);
    expect(route(five.state, 10, config)).toEqual({ adapter: "accessibility", probe: false });
  });

  it("switches when the error rate over a full window passes 5 %, not before the window fills", () => {
    const pattern = [true, true, true, true, true, true, true, true, true, false];
    const early = fold(start, pattern);
    expect(early.events).toEqual([]);
    const full = fold(early.state, pattern);
    expect(full.events[0]?.data).toMatchObject({ reason: "error_rate", error_rate: 0.1 });
  });

  it("stays on the primary at exactly the threshold", () => {
    const one = fold(start, [false, ...Array(19).fill(true)]);
    expect(one.events).toEqual([]);
    expect(one.state.circuit).toBe("closed");
  });

  it("half-opens after the cooldown: one call tries the primary, success switches back", () => {
    const open = fold(start, Array(5).fill(false), 0).state;
    expect(route(open, 999, config).adapter).toBe("accessibility");
    expect(route(open, 1000, config)).toEqual({ adapter: "openai", probe: true });
    const back = fold(open, [true], 1000, true);
    expect(back.events[0]?.data).toMatchObject({ from: "accessibility", to: "openai", reason: "recovered" });
    expect(back.state).toMatchObject({ circuit: "closed", consecutiveFailures: 0, outcomes: [] });
  });

  it("a failed trial call opens the circuit for another cooldown, without a new switch event", () => {
    const open = fold(start, Array(5).fill(false), 0).state;
    const again = fold(open, [false], 1500, true);
    expect(again.events).toEqual([]);
    expect(route(again.state, 2000, config).adapter).toBe("accessibility");
    expect(route(again.state, 2500, config).adapter).toBe("openai");
  });

  it("follows health checks: a failed primary opens the circuit, a healthy one is tried next", () => {
    const failed = onHealth(
      start,
      "openai",
      { status: "failed", latency_ms: 3, error_rate: 0, details: "ECONNREFUSED" },
      0,
    );
    expect(failed.events.map((e) => e.type)).toEqual(["VisionAdapterHealthChanged", "VisionAdapterSwitched"]);
    expect(failed.events[1]?.data).toMatchObject({ reason: "health_check", last_error: "ECONNREFUSED" });
    const healthy = onHealth(
      failed.state,
      "openai",
      { status: "healthy", latency_ms: 2, error_rate: 0, details: "ok" },
      10,
    );
    expect(healthy.events[0]?.data).toMatchObject({ previous: "failed", status: "healthy" });
    expect(route(healthy.state, 11, config)).toEqual({ adapter: "openai", probe: true });
  });

  it("records a health change once, not at every check", () => {
    const h = { status: "healthy" as const, latency_ms: 1, error_rate: 0, details: "ok" };
    const first = onHealth(start, "accessibility", h, 0);
    expect(first.events).toHaveLength(1);
    expect(onHealth(first.state, "accessibility", h, 1).events).toEqual([]);
  });

  it("without a fallback never opens", () => {
    const alone = fold(initialBreaker("openai"), Array(10).fill(false));
    expect(alone.events).toEqual([]);
    expect(route(alone.state, 0, config).adapter).toBe("openai");
  });
});
