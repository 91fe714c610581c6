/** The sentence forms the rule planner reads, with an example of each: for refusals, the README and MCP. */
export const KNOWN_FORMS: { kind: string; examples: string[] }[] = [
  {
    kind: "Open a page",
    examples: [
      "Go to /login",
      "Open the login page",
      "Given I am on the home page",
      "Go back",
      "Reload the page",
    ],
  },
  {
    kind: "Type and choose",
    examples: [
      'Fill in "Email" with "alice@example.com"',
      "Type foo into Search and press Enter",
      'Enter username "bob"',
      "Select Pro from the Plan dropdown",
      "Log in as bob with password ${env:APP_PASSWORD}",
      "Submit the form",
    ],
  },
  {
    kind: "Click and keys",
    examples: [
      "Click the Sign in button",
      'I press "Log in"',
      "Double-click Buy milk to edit",
      "Right-click the file list",
      "Press Escape",
      "Hover over Products",
      "Drag Card to Done",
      "Upload a.pdf to Attachments",
    ],
  },
  {
    kind: "Checkboxes and entries",
    examples: [
      "Check Remember me",
      "Uncheck Remember me",
      "Mark Feed the cat as completed",
      "Delete Buy milk",
    ],
  },
  {
    kind: "Repeated structure",
    examples: [
      "Click the Delete button next to Bread",
      "Click the second Delete button",
      "Click the row with alice@example.com",
      "Hover over Bread and click its delete button",
    ],
  },
  {
    kind: "Checks",
    examples: [
      'I should see "Welcome"',
      "I should not see Error",
      "Make sure the error message appears",
      "Verify that Apples is in the list",
      "The list should show 3 items",
      "Check the page title contains Shop",
      "Then the URL contains /dashboard",
      "Then I should be on the cart page",
      '"Buy milk" is shown and "Walk the dog" is not',
    ],
  },
  {
    kind: "Waits, dialogs, tabs",
    examples: [
      "Wait 2 seconds",
      'Wait for "Saved" to appear',
      "Accept the alert",
      "Switch to the second tab",
    ],
  },
];

/** The forms as lines of text: "  Open a page: Go to /login · Open the login page · ...". */
export function knownFormsText(): string {
  return KNOWN_FORMS.map((f) => `  ${f.kind}: ${f.examples.join(" · ")}`).join("\n");
}
