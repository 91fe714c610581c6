import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fitHealingWeights } from "../../src/bench/fit-healing.js";
import { similoPath } from "../../src/bench/healing-similo.js";

const similo = similoPath();

describe("the committed healing weights", () => {
  it("names the data set's expected place when it is missing", async () => {
    const { loadSimilo } = await import("../../src/bench/healing-similo.js");
    expect(() => loadSimilo("/nonexistent/similo2.json")).toThrow(
      /not at \/nonexistent\/similo2.json; pass --similo/,
    );
  });

  it.runIf(existsSync(similo))(
    "are exactly what the fitting script computes from the Similo data",
    () => {
      const committed = readFileSync("src/domain/healing/weights.ts", "utf8");
      expect(fitHealingWeights(similo)).toBe(committed);
    },
    300_000,
  );
});
