import { describe, expect, it } from "vitest";
import { type Outcome, reliability } from "../../src/domain/reliability.js";

const run = (
  passed: boolean,
  planVersion = "p1",
  applicationVersion = "1.0",
  heals: [number, number] = [0, 0],
): Outcome => ({
  passed,
  planVersion,
  applicationVersion,
  healsAttempted: heals[0],
  healsSuccessful: heals[1],
});

describe("reliability scores", () => {
  it("a test that always passes scores 1", () => {
    expect(reliability([run(true), run(true), run(true)])).toEqual({
      runs: 3,
      score: 1,
      pass_rate: 1,
      stability: 1,
      flakiness: 0,
      recovery_rate: 1,
      flips: 0,
    });
  });

  it("counts pass/fail flips of the same plan version on the same application version as flakiness", () => {
    // pass fail pass fail: 3 flips in 3 comparisons.
    const flaky = reliability([run(true), run(false), run(true), run(false)]);
    expect(flaky).toMatchObject({ pass_rate: 0.5, flakiness: 1, stability: 0, flips: 3, score: 0.45 });
    // pass pass fail fail: 1 flip in 3 comparisons. A break, not flakiness.
    const broke = reliability([run(true), run(true), run(false), run(false)]);
    expect(broke).toMatchObject({ flakiness: 0.333, stability: 0.667, flips: 1 });
  });

  it("does not count a change of plan or application version as a flip", () => {
    const upgrades = reliability([
      run(true, "p1", "1.0"),
      run(false, "p1", "2.0"),
      run(true, "p2", "2.0"),
      run(false, "p2", "3.0"),
    ]);
    expect(upgrades).toMatchObject({ flips: 0, flakiness: 0, stability: 1, pass_rate: 0.5, score: 0.75 });
    const interleaved = reliability([
      run(true, "p1", "1.0"),
      run(true, "p1", "2.0"),
      run(false, "p1", "1.0"),
      run(true, "p1", "2.0"),
    ]);
    expect(interleaved).toMatchObject({ flips: 1, flakiness: 0.5 });
  });

  it("recovery rate is heals that held over heals attempted", () => {
    const r = reliability([run(true, "p", "2", [3, 3]), run(false, "p", "3", [2, 0])]);
    expect(r).toMatchObject({ recovery_rate: 0.6, pass_rate: 0.5 });
    expect(r.score).toBe(Math.round((0.5 * 0.5 + 0.3 * 1 + 0.2 * 0.6) * 1000) / 1000);
  });

  it("an entity without finished runs has no score", () => {
    expect(reliability([])).toMatchObject({ runs: 0, score: 0 });
  });
});
