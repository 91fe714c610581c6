import { describe, expect, it } from "vitest";
import { explainHeal } from "../../src/domain/healing/explain.js";
import type { Fingerprint } from "../../src/domain/healing/fingerprint.js";
import { rankWithModel } from "../../src/domain/healing/model.js";

const fp = (over: Partial<Fingerprint>): Fingerprint => ({
  tag: "a",
  role: "link",
  name: "Explore",
  text: "Explore",
  id: "explore",
  classes: ["nav-link"],
  attributes: { href: "/explore" },
  domPath: "html>body>nav>a",
  neighbours: ["Home", "Pricing"],
  box: { x: 100, y: 10, width: 80, height: 20 },
  ...over,
});

/** What the heal review shows: the model's own evidence, adding up to the utility the heal was ranked by. */
describe("explaining a heal", () => {
  const recorded = fp({});
  const found = fp({ tag: "button", role: "button", id: "explore-btn", classes: ["btn"], attributes: {} });

  it("adds the contributions up to the utility the model ranked the element by", () => {
    const e = explainHeal({ fingerprint: recorded, description: "Explore" }, found);
    const ranked = rankWithModel({ fingerprint: recorded, description: "Explore" }, [
      { candidate: 0, fingerprint: found },
    ]);
    const sum = e.parts.reduce((s, p) => s + p.contribution, 0);
    expect(sum).toBeCloseTo(ranked.ranked[0]!.utility, 2);
    expect(e.utility).toBeCloseTo(ranked.ranked[0]!.utility, 2);
  });

  it("shows what spoke for the element and what against it, largest first, and leaves out what said nothing", () => {
    const e = explainHeal({ fingerprint: recorded, description: "Explore" }, found);
    const byFeature = new Map(e.parts.map((p) => [p.feature, p]));
    expect(byFeature.get("name")!.contribution).toBeGreaterThan(0);
    expect(byFeature.get("tag")!.contribution).toBeLessThan(0);
    expect(byFeature.get("description")!.contribution).toBeGreaterThan(0);
    // The recorded element had no row or heading: no evidence, not a zero row in the table.
    expect(byFeature.has("context")).toBe(false);
    const sizes = e.parts.map((p) => Math.abs(p.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
  });
});
