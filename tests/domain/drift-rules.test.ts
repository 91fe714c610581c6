import { describe, expect, it } from "vitest";
import { classifyDrift, type DriftEvidence } from "../../src/domain/drift/classify.js";
import { diffStructure, type StructureNode } from "../../src/domain/drift/dom-diff.js";

const node = (role: string, name: string, x: number, y: number, width = 100, height = 30): StructureNode => ({
  role,
  name,
  text: "",
  box: { x, y, width, height },
});
const page: StructureNode[] = [
  node("heading", "Account", 20, 20, 300, 40),
  node("textbox", "Email", 20, 80),
  node("textbox", "Password", 20, 120),
  node("button", "Save", 20, 170),
  node("link", "Help", 20, 220),
  node("paragraph", "Your details are private.", 20, 260, 400, 20),
];
const evidence = (current: StructureNode[], pixels: Partial<DriftEvidence> = {}): DriftEvidence => ({
  structure: diffStructure(page, current),
  pixelDiffRatio: 0,
  regions: [],
  regionPixels: [],
  embeddingDistance: 0,
  sizeChanged: false,
  ...pixels,
});
const severity = (current: StructureNode[], pixels?: Partial<DriftEvidence>) =>
  classifyDrift(evidence(current, pixels)).severity;

describe("drift severity rules", () => {
  it("none: the same elements and pixels within noise", () => {
    const verdict = classifyDrift(
      evidence(page, {
        pixelDiffRatio: 0.0004,
        regions: [{ x: 0, y: 0, width: 8, height: 8 }],
        regionPixels: [30],
      }),
    );
    expect(verdict).toMatchObject({ severity: "none", drift_detected: false, recommended_actions: [] });
  });

  it("none: scattered differences with no region holding enough pixels to be a change", () => {
    expect(
      severity(page, {
        pixelDiffRatio: 0.002,
        regions: [{ x: 0, y: 0, width: 8, height: 8 }],
        regionPixels: [49],
      }),
    ).toBe("none");
  });

  it("cosmetic: a region of changed pixels with the structure intact (a colour)", () => {
    const verdict = classifyDrift(
      evidence(page, {
        pixelDiffRatio: 0.01,
        regions: [{ x: 20, y: 170, width: 100, height: 30 }],
        regionPixels: [3000],
      }),
    );
    expect(verdict.severity).toBe("cosmetic");
    expect(verdict.change_description).toMatch(/1\.00 % of pixels differ in 1 region/);
  });

  it("cosmetic: text outside interactive elements reads differently", () => {
    const current = page.map((n) =>
      n.role === "paragraph" ? { ...n, name: "Your details are shared." } : n,
    );
    expect(classifyDrift(evidence(current)).reasons).toEqual([
      'cosmetic: text paragraph "Your details are private." now reads "Your details are shared."',
    ]);
  });

  it("structural: an element moved, an interactive element or a landmark was added, the size changed", () => {
    expect(
      severity(page.map((n) => (n.name === "Help" ? { ...n, box: { ...n.box, y: n.box.y + 40 } } : n))),
    ).toBe("structural");
    expect(severity([...page, node("button", "Export", 200, 170)])).toBe("structural");
    expect(severity([...page, node("heading", "Danger zone", 20, 300)])).toBe("structural");
    expect(severity(page, { sizeChanged: true })).toBe("structural");
  });

  it("structural: the look changed past the embedding threshold with the same elements (a canvas redrawn)", () => {
    expect(severity(page, { embeddingDistance: 0.2 })).toBe("structural");
    expect(severity(page, { embeddingDistance: 0.1 })).toBe("none");
  });

  it("functional: an interactive element removed, renamed or recast", () => {
    expect(severity(page.filter((n) => n.name !== "Help"))).toBe("functional");
    const renamed = classifyDrift(
      evidence(page.map((n) => (n.name === "Save" ? { ...n, name: "Update" } : n))),
    );
    expect(renamed.severity).toBe("functional");
    expect(renamed.reasons).toContain('functional: button "Save" is now "Update"');
    expect(renamed.recommended_actions[0]).toMatch(/heal the steps that target button "Save"/);
    expect(severity(page.map((n) => (n.name === "Help" ? { ...n, role: "button" } : n)))).toBe("functional");
  });

  it("critical: every interactive element gone, or two and half or more of them", () => {
    expect(severity([node("heading", "502 Bad Gateway", 20, 20)])).toBe("critical");
    expect(severity(page.filter((n) => n.name !== "Help" && n.name !== "Save"))).toBe("critical");
  });

  it("pairs elements by role and name first, so a reordered list is moves, not removals", () => {
    const swapped = page.map((n) =>
      n.name === "Email"
        ? { ...n, box: { ...n.box, y: 120 } }
        : n.name === "Password"
          ? { ...n, box: { ...n.box, y: 80 } }
          : n,
    );
    const diff = diffStructure(page, swapped);
    expect(diff.removed).toEqual([]);
    expect(diff.added).toEqual([]);
    expect(diff.changed.map((c) => c.kind)).toEqual(["moved", "moved"]);
  });
});
