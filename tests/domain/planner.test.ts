import { describe, expect, it } from "vitest";
import { planFromRequirements, readSentence, sentencesOf } from "../../src/domain/planner/deterministic.js";

/** The steps one sentence reads as; fails the test when it is refused. */
const steps = (sentence: string, then = false) => {
  const r = readSentence(sentence, then);
  if (!r.ok) throw new Error(`refused: ${sentence} (${r.reason ?? r.notUnderstood})`);
  return r.parts.flatMap((p) => p.steps);
};
const one = (sentence: string) => {
  const s = steps(sentence);
  expect(s, sentence).toHaveLength(1);
  return s[0]!;
};
const refused = (sentence: string) => {
  const r = readSentence(sentence);
  expect(r.ok, sentence).toBe(false);
  return r as Extract<typeof r, { ok: false }>;
};

describe("the rule planner reads what testers write", () => {
  it.each([
    // Navigation: URLs, paths, pages by name, the application itself, history
    ["Go to /login", { action: "navigate", params: { url: "/login" } }],
    [
      "Given I am on https://shop.test/cart",
      { action: "navigate", params: { url: "https://shop.test/cart" } },
    ],
    ["Open the login page", { action: "navigate", params: { url: "/login" } }],
    ["Given I am on the sign up page", { action: "navigate", params: { url: "/signup" } }],
    ["Given I visit the site", { action: "navigate", params: { url: "{app}" } }],
    ["Go back", { action: "go_back", params: {} }],
    ["Reload the page", { action: "reload", params: {} }],
    // Typing and choosing
    [
      'Fill in "Email" with "alice@example.com"',
      { action: "type", params: { target: "Email", text: "alice@example.com" } },
    ],
    ["Type alice into the Email field", { action: "type", params: { target: "Email field", text: "alice" } }],
    ['I enter username "bob"', { action: "type", params: { target: "username", text: "bob" } }],
    ['I set "x" to the inputfield "#q"', { action: "type", params: { target: { css: "#q" }, text: "x" } }],
    [
      "Select Pro from the Plan dropdown",
      { action: "select", params: { target: "Plan dropdown", values: ["Pro"] } },
    ],
    // Clicking, keys, pointer
    [
      "Click the Sign in button",
      { action: "click", params: { target: { role: "button", description: "Sign in" } } },
    ],
    ['I press "Log in"', { action: "click", params: { target: "Log in" } }],
    ['I follow "Contact us"', { action: "click", params: { target: "Contact us" } }],
    ["Press Enter", { action: "press", params: { key: "Enter" } }],
    ["Press Ctrl+A", { action: "press", params: { key: "Control+A" } }],
    ["Double-click Buy milk to edit", { action: "click", params: { target: "Buy milk", click_count: 2 } }],
    ["Right-click the file list", { action: "click", params: { target: "file list", button: "right" } }],
    ["Hover over Products", { action: "hover", params: { target: "Products" } }],
    ["Drag Card to Done", { action: "drag_drop", params: { source: "Card", destination: "Done" } }],
    [
      "Upload a.pdf and b.pdf to Attachments",
      { action: "upload_file", params: { files: ["a.pdf", "b.pdf"], target: "Attachments" } },
    ],
    ["Scroll down", { action: "scroll", params: { y: 100000 } }],
    // Checkboxes and entries
    [
      "Mark Feed the cat as completed",
      { action: "check", params: { target: { role: "checkbox", within: "Feed the cat" }, checked: true } },
    ],
    ["Uncheck Remember me", { action: "check", params: { target: "Remember me", checked: false } }],
    [
      "Delete Buy milk",
      { action: "click", params: { target: { role: "button", description: "Delete", within: "Buy milk" } } },
    ],
    // Waits and dialogs
    ["Wait 2 seconds", { action: "wait", params: { ms: 2000 } }],
    ['Wait for "Saved" to appear', { action: "wait", params: { text: "Saved" } }],
    ["Accept the alert", { action: "dialog", params: { accept: true } }],
    ["Switch to the second tab", { action: "switch_tab", params: { index: 1 } }],
    // Checks
    ['Then I should see "Order placed"', { action: "assert", params: { text: "Order placed" } }],
    ["I should not see Error", { action: "assert", params: { not_text: "Error" } }],
    [
      "Make sure the error message appears",
      { action: "assert", params: { target: "error message", visible: true } },
    ],
    [
      "Verify that Apples is in the list",
      { action: "assert", params: { target: { role: "list" }, text: "Apples" } },
    ],
    [
      "The list should show 3 products",
      { action: "assert", params: { target: { role: "listitem" }, count: 3 } },
    ],
    ["I should see 2 items left", { action: "assert", params: { text: "2 items left" } }],
    ["Then the URL contains /dashboard", { action: "assert", params: { url_contains: "/dashboard" } }],
    ["The title should be Dashboard", { action: "assert", params: { title_contains: "Dashboard" } }],
    ['the "Name" field should contain "Bob"', { action: "assert", params: { target: "Name", value: "Bob" } }],
    [
      'verify "Remember me" is checked',
      { action: "assert", params: { target: "Remember me", checked: true } },
    ],
    ["Then I should be on the cart page", { action: "assert", params: { url_contains: "/cart" } }],
  ])("%s", (sentence, expected) => {
    expect(one(sentence)).toEqual(expected);
  });

  it("reads a log-in phrase as the fields typed and the form sent, a literal password marked secret", () => {
    expect(steps("Log in as bob with password x")).toEqual([
      { action: "type", params: { target: "Username", text: "bob" } },
      { action: "type", params: { target: "Password", text: "x", secret: true } },
      { action: "click", params: { target: { role: "button", description: "Log in" } } },
    ]);
    expect(steps('Sign in as "a@b.test" with password "${env:PW}"')[1]).toEqual({
      action: "type",
      params: { target: "Password", text: "${env:PW}" },
    });
    expect(refused("I log in as admin").reason).toMatch(/needs the user name and the password/);
  });

  it("submits a form with its own submit button", () => {
    expect(one("Submit the form")).toEqual({
      action: "click",
      params: { target: { css: "form [type=submit], form button:not([type])" } },
    });
  });

  it('decides "check" by the sentence\'s shape: a statement is a check of the page, a name is a checkbox', () => {
    expect(one("Check the page title contains Shop")).toEqual({
      action: "assert",
      params: { title_contains: "Shop" },
    });
    expect(one("Check that Remember me is checked")).toEqual({
      action: "assert",
      params: { target: "Remember me", checked: true },
    });
    expect(one("Check Remember me")).toEqual({
      action: "check",
      params: { target: "Remember me", checked: true },
    });
    expect(one('I check the "Remember me" check_box')).toEqual({
      action: "check",
      params: { target: { role: "checkbox", description: "Remember me" }, checked: true },
    });
    // A statement it cannot check is refused, not taken for a checkbox named "the button is enabled".
    expect(refused("Check the Save button is enabled").reason).toMatch(/enabled/);
  });

  it("points into repeated structure: next to, of, the row with, the second, its", () => {
    expect(one("Click the Delete button next to Bread").params.target).toEqual({
      role: "button",
      description: "Delete",
      within: "Bread",
    });
    expect(one("Tick the checkbox of Feed the cat").params.target).toEqual({
      role: "checkbox",
      within: "Feed the cat",
    });
    expect(one("Click the second Delete button").params.target).toEqual({
      role: "button",
      description: "Delete",
      nth: 2,
    });
    expect(one("Click the row with alice@example.com").params.target).toEqual({
      role: "row",
      description: "alice@example.com",
    });
    expect(steps("Hover over Bread and click its delete button")).toEqual([
      { action: "hover", params: { target: "Bread" } },
      { action: "click", params: { target: { role: "button", description: "delete", within: "Bread" } } },
    ]);
    // "first name" is a name, not a position.
    expect(one('I enter "Amy" as first name').params.target).toBe("first name");
  });

  it("splits a compound sentence into its steps when each part is a step", () => {
    expect(steps("Enter 'foo' into the search box and hit enter")).toEqual([
      { action: "type", params: { target: "search box", text: "foo" } },
      { action: "press", params: { key: "Enter" } },
    ]);
    expect(steps('I enter username "a" and password "b"')).toEqual([
      { action: "type", params: { target: "username", text: "a" } },
      { action: "type", params: { target: "password", text: "b", secret: true } },
    ]);
    expect(steps('"Buy milk" is shown and "Walk the dog" is not')).toEqual([
      { action: "assert", params: { text: "Buy milk" } },
      { action: "assert", params: { not_text: "Walk the dog" } },
    ]);
    // A name with "and" in it stays one name when it is quoted.
    expect(steps('Click "Save and Continue"')).toEqual([
      { action: "click", params: { target: "Save and Continue" } },
    ]);
  });

  it("never guesses: a sentence read only in part is refused with what was understood and what was not", () => {
    const partly = refused("Type foo into Search and frobnicate the widget");
    expect(partly.understood.map((u) => u.text)).toEqual(["Type foo into Search"]);
    expect(partly.understood[0]!.steps).toEqual([
      { action: "type", params: { target: "Search", text: "foo" } },
    ]);
    expect(partly.notUnderstood).toBe("frobnicate the widget");
    // An unquoted name that runs into another verb is not taken whole ("Save and Reload").
    expect(refused("Click Save and Reload").notUnderstood).toBe("Reload");
    expect(refused("Press Delete").reason).toMatch(/the Delete key.*the Delete button/);
    expect(refused("I should see 3 products").reason).toMatch(/not a kind of element/);
    expect(refused("Then I should be on the home page").reason).toMatch(/always pass/);
    expect(refused("Make it fast and pretty").understood).toEqual([]);
  });

  it("marks as secret what is typed into a password field or what the sentence calls secret", () => {
    expect(one('Fill in "Password confirmation" with "pw"').params).toMatchObject({ secret: true });
    expect(one('Type the secret "hunter2" into Token').params).toMatchObject({
      text: "hunter2",
      secret: true,
    });
    expect(one('Type "alice" into Name').params.secret).toBeUndefined();
  });

  it("reads a sentence under Then as a check where the same words elsewhere are a step", () => {
    expect(one("Given I am on /cart")).toEqual({ action: "navigate", params: { url: "/cart" } });
    expect(steps("Then I am on /cart")).toEqual([{ action: "assert", params: { url_contains: "/cart" } }]);
    const plan = planFromRequirements("Then I am on /a\nAnd I am on /b\nWhen I am on /c");
    expect(plan.steps.map((s) => s.action)).toEqual(["assert", "assert", "navigate"]);
  });

  it("splits requirements into sentences and reads Feature and Scenario lines as the plan's name", () => {
    expect(sentencesOf('1. Go to /login. Type "a. b" into B! Then click C\n- Expect to see D')).toEqual([
      "1. Go to /login.",
      'Type "a. b" into B!',
      "Then click C",
      "- Expect to see D",
    ]);
    const plan = planFromRequirements(
      "Feature: Sign in\nScenario: a user signs in\n# a comment\nGiven I am on /login\nThen I see Hello",
    );
    expect(plan).toMatchObject({ name: "Sign in", description: "a user signs in", unparsed: [] });
    expect(plan.steps.map((s) => s.action)).toEqual(["navigate", "assert"]);
    expect(plan.readings.map((r) => r.sentence)).toEqual(["Given I am on /login", "Then I see Hello"]);
  });
});
