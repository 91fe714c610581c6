import { describe, expect, it } from "vitest";
import { findRef, snapshotShows } from "../../src/bench/mcp-race/snapshot-refs.js";

// The Playwright MCP agents of the race read trees as an agent would; these are trees Playwright MCP 0.0.83
// printed for TodoMVC (React) and Swagger UI 5.
const TODO = `- list [ref=e10]:
  - listitem [ref=e11]:
    - generic [ref=e12]:
      - checkbox [ref=e13]
      - generic [ref=e14]: Buy milk
  - listitem [ref=e15]:
    - generic [ref=e16]:
      - checkbox [ref=e17]
      - generic [ref=e18]: Walk the dog
- generic [ref=e20]:
  - strong [ref=e21]: "2"
  - text: items left`;

const SWAGGER = `- row [ref=e197]:
  - cell "species *required string" [ref=e145]:
    - generic [ref=e146]: species *required
  - cell [ref=e198]:
    - combobox [ref=e200]:
      - option "cat" [selected]
- textbox "name" [ref=e196]: string`;

describe("the race's Playwright MCP agents read a snapshot", () => {
  it("pick a nameless control by the text of its own row, not the first of its role", () => {
    expect(findRef(TODO, { role: "checkbox", near: "Walk the dog" })).toBe("e17");
    expect(findRef(TODO, { role: "checkbox", near: "Buy milk" })).toBe("e13");
    expect(findRef(SWAGGER, { role: "combobox", near: "species" })).toBe("e200");
  });

  it("pick a named element by role and name, and find nothing that is not there", () => {
    expect(findRef(SWAGGER, { role: "textbox", name: "name" })).toBe("e196");
    expect(findRef(TODO, { role: "generic", name: "Walk the dog" })).toBe("e18");
    expect(findRef(TODO, { role: "button", near: "Pay rent" })).toBeUndefined();
  });

  it("judge text across the pieces a sentence is split into", () => {
    expect(snapshotShows(TODO, "2 items left")).toBe(true);
    expect(snapshotShows(TODO, "3 items left")).toBe(false);
    expect(snapshotShows(TODO, "Walk the dog")).toBe(true);
  });
});
