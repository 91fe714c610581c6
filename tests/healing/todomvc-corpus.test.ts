import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { todomvcRoot } from "../../src/bench/healing-todomvc.js";
import { removedOnRun, TODOMVC_PAIRS, TODOMVC_TARGETS } from "../../src/bench/healing-todomvc-corpus.js";

/** The real-app corpus's definition: what the issue asks of it, checked before any browser is started. */
describe("the TodoMVC healing corpus", () => {
  it("gives every pair 15 or more targets, some of them removed on the second implementation", () => {
    for (const pair of TODOMVC_PAIRS) {
      const removed = TODOMVC_TARGETS.filter((t) => removedOnRun(pair, t));
      expect(TODOMVC_TARGETS.length - removed.length).toBeGreaterThanOrEqual(15);
      expect(removed.length).toBeGreaterThan(0);
      expect(pair.from).not.toBe(pair.to);
    }
  });

  it("reads implementations that ship in the todomvc package with their libraries (nothing from a CDN)", () => {
    for (const impl of new Set(TODOMVC_PAIRS.flatMap((p) => [p.from, p.to]))) {
      expect(existsSync(join(todomvcRoot(), "examples", impl, "index.html"))).toBe(true);
      expect(existsSync(join(todomvcRoot(), "examples", impl, "bower_components"))).toBe(true);
    }
  });

  it("removes a row's controls with the row, and Clear completed when nothing is completed", () => {
    const [pair] = TODOMVC_PAIRS;
    const del = (row: string) => TODOMVC_TARGETS.find((t) => t.description === `delete ${row}`)!;
    expect(removedOnRun(pair!, del("Walk the dog"))).toBe(true);
    expect(removedOnRun(pair!, del("Pay rent"))).toBe(false);
    const clear = TODOMVC_TARGETS.find((t) => t.description === "Clear completed")!;
    expect(removedOnRun(TODOMVC_PAIRS[1]!, clear)).toBe(true);
  });
});
