import { describe, expect, it } from "vitest";
import { chooseHeal } from "../../src/engine/locate-heal.js";
import { fingerprintsOf } from "../../src/engine/locate-nodes.js";
import type { AccessibilityNode } from "../../src/ports/browser.js";

/** A snapshot node as the page script lists it; the path is not read when healing. */
function node(
  ref: string,
  role: string,
  name: string,
  extra: Partial<AccessibilityNode> & { box?: AccessibilityNode["box"] } = {},
): AccessibilityNode {
  const tag = role === "listitem" ? "li" : role === "list" ? "ul" : role === "checkbox" ? "input" : "button";
  return {
    ref,
    role,
    name,
    tag,
    text: role === "button" || role === "listitem" ? name : "",
    states: {},
    attributes: { type: role === "checkbox" ? "checkbox" : "button" },
    box: { x: 0, y: 0, width: 120, height: 24 },
    inViewport: true,
    path: { frames: [], hosts: [], selector: `#${ref}` },
    domPath: `html>body>ul>li>${tag}`,
    depth: 3,
    ...extra,
  };
}

const at = (x: number, y: number, width = 120) => ({ box: { x, y, width, height: 24 } });

describe("the same-row rule when healing", () => {
  // jsoneditor 5.x: Sort was a split button, its arrow named "Sort" by its list item. 10.x: one Sort
  // button in its own list item, and the arrow is gone; Insert keeps a look-alike arrow.
  const oldMenu = [
    node("m", "list", ""),
    node("li1", "listitem", "Sort", { parentRef: "m", ...at(0, 0, 124) }),
    node("sort", "button", "Sort", { parentRef: "li1", ...at(0, 0, 92) }),
    node("arrow", "button", "", {
      parentRef: "li1",
      text: "",
      attributes: { type: "button", class: "expand" },
      ...at(92, 0, 32),
    }),
  ];
  // The snapshot names the nameless arrow from its row, as the engine records it.
  oldMenu[3]!.name = "Sort";
  const recordedArrow = fingerprintsOf(oldMenu)[3]!;

  const newMenu = [
    node("m", "list", ""),
    node("li1", "listitem", "Type", { parentRef: "m", ...at(0, 0) }),
    node("type", "button", "Type", { parentRef: "li1", ...at(0, 0) }),
    node("li2", "listitem", "Sort", { parentRef: "m", ...at(0, 24) }),
    node("sort", "button", "Sort", {
      parentRef: "li2",
      attributes: { type: "button", title: "Sort" },
      ...at(0, 24),
    }),
    node("li3", "listitem", "Insert", { parentRef: "m", ...at(0, 48) }),
    node("insert", "button", "Insert", { parentRef: "li3", ...at(0, 48, 96) }),
    node("arrow2", "button", "Insert", {
      parentRef: "li3",
      text: "",
      attributes: { type: "button", class: "expand" },
      ...at(96, 48, 32),
    }),
  ];

  it("does not narrow the choice to a row that holds a single element: the gone arrow is not healed onto Sort", () => {
    const choice = chooseHeal(newMenu, { description: "sort order" }, recordedArrow, () => false, 1500);
    expect(choice).toBeDefined();
    // Every element is weighed, so the look-alike arrow of Insert takes its share and nothing is acted on.
    expect(choice!.candidates).toBe(newMenu.length);
    expect(choice!.confidence).toBeLessThan(0.8);
  });

  it("still weighs only the recorded row's elements when that row holds several", () => {
    const rows = (order: string[]) =>
      order.flatMap((text, i) => [
        node(`r${i}`, "listitem", text, { parentRef: "m", ...at(0, 30 * i, 300) }),
        node(`t${i}`, "checkbox", text, { parentRef: `r${i}`, ...at(0, 30 * i, 20) }),
        node(`d${i}`, "button", "Delete", { parentRef: `r${i}`, text: "", ...at(280, 30 * i, 20) }),
      ]);
    const before = [node("m", "list", ""), ...rows(["Pay rent", "Buy oat milk"])];
    const recorded = fingerprintsOf(before)[6]!; // Buy oat milk's delete button
    expect(recorded.context).toBe("Buy oat milk");
    const after = [node("m", "list", ""), ...rows(["Buy oat milk", "Pay rent"])];
    const choice = chooseHeal(
      after,
      { description: "delete Buy oat milk", role: "button" },
      recorded,
      () => false,
      1500,
    );
    expect(choice!.node.ref).toBe("d0");
    expect(choice!.candidates).toBe(1);
  });

  describe("the row veto", () => {
    // Swagger UI 2.x listed each operation in a list item; 5.x renders the same controls in plain divs.
    const item = (ref: string, text: string, parentRef: string, y: number) => [
      node(ref, "button", text, { parentRef, ...at(0, y, 300) }),
    ];
    const before = [
      node("m", "list", ""),
      node("r0", "listitem", "GET /pet Find pets", { parentRef: "m", ...at(0, 0, 400) }),
      ...item("b0", "Expand", "r0", 0),
      node("r1", "listitem", "POST /pet Add a pet", { parentRef: "m", ...at(0, 30, 400) }),
      ...item("b1", "Expand", "r1", 30),
    ];
    const recorded = fingerprintsOf(before)[4]!; // POST /pet's button
    expect(recorded.context).toBe("POST /pet Add a pet");

    it("does not veto an element that is simply in no row on the new page", () => {
      const after = [
        node("b0", "button", "Expand GET /pet"),
        node("b1", "button", "Expand POST /pet", at(0, 30)),
      ];
      const choice = chooseHeal(after, { description: "Expand POST /pet" }, recorded, () => false, 1500);
      expect(choice!.node.ref).toBe("b1");
      expect(choice!.veto).toBeUndefined();
    });

    it("still vetoes the look-alike inside another row when the recorded row is gone", () => {
      const after = [
        node("m", "list", ""),
        node("r0", "listitem", "GET /pet Find pets", { parentRef: "m", ...at(0, 0, 400) }),
        ...item("b0", "Expand", "r0", 0),
      ];
      const choice = chooseHeal(after, { description: "Expand" }, recorded, () => false, 1500);
      expect(choice!.node.ref).toBe("b0");
      expect(choice!.veto).toMatch(/another row/);
    });
  });
});

describe("what a fingerprint records of the element's surroundings", () => {
  it("records the nearest named heading and where it was, the landmark its position is measured from", () => {
    const nodes = [
      node("h", "heading", "pet", { tag: "h3", text: "pet", ...at(0, 100, 600) }),
      node("b", "button", "Add pet", at(20, 140)),
    ];
    const recorded = fingerprintsOf(nodes)[1]!;
    expect(recorded.heading).toBe("pet");
    expect(recorded.headingBox).toEqual({ x: 0, y: 100, width: 600, height: 24 });
  });
});
