import { describe, expect, it } from "vitest";
import type { Fingerprint } from "../../src/domain/healing/fingerprint.js";
import { checkNamesHeal, healIdentity } from "../../src/domain/healing/verify.js";

const deleteButton: Fingerprint = {
  tag: "button",
  role: "button",
  name: "Delete",
  text: "",
  classes: ["destroy"],
  attributes: {},
  domPath: "html>body>section>ul>li>div>button",
  neighbours: [],
  box: { x: 0, y: 0, width: 10, height: 10 },
  context: "Pay rent",
};

describe("verification that proves something", () => {
  const identity = healIdentity(deleteButton, "Click Delete Pay rent");

  it("is not given by a count or a generic text, which the wrong row's delete would also have produced", () => {
    expect(checkNamesHeal("Expect to see 1 item left", identity)).toBe(false);
    expect(checkNamesHeal("Expect to see Delete", identity)).toBe(false);
  });

  it("is given by a check naming the intended row, which would have failed had another row been deleted", () => {
    expect(checkNamesHeal("Expect not to see Pay rent", identity)).toBe(true);
  });

  it("is given by what the step typed, and by the element's own name only when the check says it is gone", () => {
    const typed = healIdentity(undefined, 'Type "Milk" into New item');
    expect(checkNamesHeal("Expect not to see Milk", typed)).toBe(true);
    const signIn = healIdentity(
      { ...deleteButton, name: "Sign in", context: undefined },
      "Click Sign in button",
    );
    expect(checkNamesHeal("Expect to see Sign in to Listly", signIn)).toBe(false);
    expect(checkNamesHeal("Expect not to see Sign in", signIn)).toBe(true);
  });

  it("never treats a masked secret as a name", () => {
    expect(healIdentity(undefined, 'Type "••••••••" into Password').strong).toEqual([]);
  });
});
