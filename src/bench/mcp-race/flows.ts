/**
 * The flows of the MCP race, written once for every agent. Each action says what a TestDriver agent sends
 * (`td`: execute_step's action and params, as its tool description teaches) and how a Playwright MCP agent
 * finds the element in the accessibility tree it reads (`pw`: a role and a name, or a role near some text
 * for controls without a name). Checks are the same assertions on both sides.
 */

/** How a Playwright MCP agent picks an element out of a snapshot: by role and name, or by role near text. */
export interface Locate {
  role: string;
  name?: string;
  near?: string;
}

export type PwAction =
  | { tool: "click"; at: Locate; hoverFirst?: Locate }
  | { tool: "type"; at: Locate; text: string; submit?: boolean }
  | { tool: "fill"; fields: { at: Locate; type: "textbox" | "combobox"; value: string; name: string }[] };

export type FlowStep =
  | { kind: "open" }
  | { kind: "act"; say: string; td: { action: string; params: Record<string, unknown> }; pw: PwAction }
  | { kind: "check"; say: string; text: string; absent?: boolean };

export interface Flow {
  name: string;
  app: "todomvc" | "swagger-ui";
  steps: FlowStep[];
}

const addTodo = (text: string): FlowStep => ({
  kind: "act",
  say: `add "${text}"`,
  td: { action: "type", params: { target: "What needs to be done?", text, key: "Enter" } },
  pw: { tool: "type", at: { role: "textbox", name: "What needs to be done?" }, text, submit: true },
});

/** TodoMVC (React): list items whose checkbox and delete button have no name of their own. */
export const TODOMVC: Flow = {
  name: "todomvc-react",
  app: "todomvc",
  steps: [
    { kind: "open" },
    addTodo("Buy milk"),
    addTodo("Walk the dog"),
    addTodo("Pay rent"),
    { kind: "check", say: "three left", text: "3 items left" },
    {
      kind: "act",
      say: 'complete "Walk the dog"',
      td: { action: "click", params: { target: { role: "checkbox", within: "Walk the dog" } } },
      pw: { tool: "click", at: { role: "checkbox", near: "Walk the dog" } },
    },
    { kind: "check", say: "two left", text: "2 items left" },
    {
      kind: "act",
      say: 'delete "Buy milk"',
      td: {
        action: "click",
        params: { target: { role: "button", description: "delete", within: "Buy milk" } },
      },
      // The delete button shows only under the pointer: not in the tree until the row is hovered.
      pw: {
        tool: "click",
        hoverFirst: { role: "generic", name: "Buy milk" },
        at: { role: "button", near: "Buy milk" },
      },
    },
    { kind: "check", say: '"Buy milk" is gone', text: "Buy milk", absent: true },
    { kind: "check", say: "one left", text: "1 item left" },
    {
      kind: "act",
      say: "show the completed",
      td: { action: "click", params: { target: { role: "link", description: "Completed" } } },
      pw: { tool: "click", at: { role: "link", name: "Completed" } },
    },
    { kind: "check", say: "the completed one is listed", text: "Walk the dog" },
    { kind: "check", say: "the active one is not", text: "Pay rent", absent: true },
  ],
};

/** Swagger UI 5: try an operation whose request is a form of four fields and a query parameter. */
export const SWAGGER_UI: Flow = {
  name: "swagger-ui-form",
  app: "swagger-ui",
  steps: [
    { kind: "open" },
    {
      kind: "act",
      say: "open the operation",
      td: {
        action: "click",
        params: { target: { role: "button", description: "POST /pets Register a pet" } },
      },
      pw: { tool: "click", at: { role: "button", name: "POST /pets Register a pet" } },
    },
    {
      kind: "act",
      say: "try it out",
      td: { action: "click", params: { target: { role: "button", description: "Try it out" } } },
      pw: { tool: "click", at: { role: "button", name: "Try it out" } },
    },
    {
      kind: "act",
      say: "fill the form",
      td: {
        action: "fill_form",
        params: {
          fields: [
            { target: { role: "combobox", within: "notify" }, value: "true" },
            { target: { role: "textbox", description: "name" }, value: "Rex" },
            { target: { role: "combobox", within: "species" }, value: "dog" },
            { target: { role: "textbox", description: "age" }, value: "3" },
            { target: { role: "textbox", description: "owner_email" }, value: "ann@example.com" },
          ],
        },
      },
      pw: {
        tool: "fill",
        fields: [
          { at: { role: "combobox", near: "notify" }, type: "combobox", value: "true", name: "notify" },
          { at: { role: "textbox", name: "name" }, type: "textbox", value: "Rex", name: "name" },
          { at: { role: "combobox", near: "species" }, type: "combobox", value: "dog", name: "species" },
          { at: { role: "textbox", name: "age" }, type: "textbox", value: "3", name: "age" },
          {
            at: { role: "textbox", name: "owner_email" },
            type: "textbox",
            value: "ann@example.com",
            name: "owner_email",
          },
        ],
      },
    },
    {
      kind: "act",
      say: "execute",
      td: { action: "click", params: { target: { role: "button", description: "Execute" } } },
      pw: { tool: "click", at: { role: "button", name: "Execute" } },
    },
    { kind: "check", say: "the server answered", text: "Server response" },
    { kind: "check", say: "the pet came back", text: "ann@example.com" },
  ],
};

export const FLOWS = [TODOMVC, SWAGGER_UI];
