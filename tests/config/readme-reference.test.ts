import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { settingsReference } from "../../src/config/reference.js";

describe("the README's configuration reference", () => {
  it("is the settings table as `testdriver config --reference` prints it", () => {
    const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
    const start = readme.indexOf("| Environment | YAML key |");
    const table = readme.slice(start, readme.indexOf("\n\n", start) + 1);
    // When this fails: paste the output of `testdriver config --reference` into the README.
    expect(table).toBe(settingsReference());
  });

  it("has each section once (a botched edit once pasted half of it twice)", () => {
    const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");
    const headings = readme.split("\n").filter((line) => /^#{1,3} /.test(line));
    expect(headings.filter((h, i) => headings.indexOf(h) !== i)).toEqual([]);
  });
});
