import type { AppPair, AppTarget, Where } from "./healing-apps-corpus.js";

/**
 * jsoneditor 5.5.11 (2016) against 10.4.3: the package's own "switch mode" example in tree mode. Between
 * them the toolbar gained Sort and Transform buttons (everything after them moved right), the tree got a
 * path bar (every row moved down), rows got shorter, the actions-menu button changed its class
 * (`jsoneditor-contextmenu` → `jsoneditor-button jsoneditor-contextmenu-button`), the search box lost its
 * table, and the actions menu moved out of the row to the end of the editor. The menu's Sort was a split
 * button with an arrow opening Ascending / Descending; 10.x has one Sort button that opens a dialog, so the
 * arrow and its two entries are gone (removed targets).
 */

const same = (css: string, text?: string): { old: Where; now: Where } => ({
  old: { css, ...(text ? { text } : {}) },
  now: { css, ...(text ? { text } : {}) },
});

/** A control in the tree row whose field reads `field` (rows are flat `tr`s; values sit in a nested table). */
const inRow = (field: string, oldCss: string, nowCss: string = oldCss): { old: Where; now: Where } => ({
  old: { css: oldCss, within: { css: "table.jsoneditor-tree > tbody > tr", text: field } },
  now: { css: nowCss, within: { css: "table.jsoneditor-tree > tbody > tr", text: field } },
});

const menuItem = (text: string): { old: Where; now: Where } => same(".jsoneditor-menu li > button", text);

const TREE: AppTarget[] = [
  { description: "Expand all fields", view: "tree", ...same("button.jsoneditor-expand-all") },
  { description: "Collapse all fields", view: "tree", ...same("button.jsoneditor-collapse-all") },
  { description: "Undo", view: "tree", ...same("button.jsoneditor-undo") },
  { description: "Redo", view: "tree", ...same("button.jsoneditor-redo") },
  { description: "Switch editor mode", view: "tree", ...same("button.jsoneditor-modes") },
  {
    description: "Search",
    view: "tree",
    note: "a nameless input: 5.x has no type, 10.x type=text; both in .jsoneditor-search",
    ...same(".jsoneditor-search input"),
  },
  {
    description: "search icon",
    view: "tree",
    note: "a nameless button",
    ...same("button.jsoneditor-refresh"),
  },
  { description: "Next result", view: "tree", ...same("button.jsoneditor-next") },
  {
    description: "Previous result",
    view: "tree",
    note: 'title "(Shift+Enter)" became "(Shift + Enter)"',
    ...same("button.jsoneditor-previous"),
  },
  {
    description: "actions menu of array",
    role: "button",
    view: "tree",
    ...inRow("array", "button.jsoneditor-contextmenu", "button.jsoneditor-contextmenu-button"),
  },
  {
    description: "actions menu of string",
    role: "button",
    view: "tree",
    ...inRow("string", "button.jsoneditor-contextmenu", "button.jsoneditor-contextmenu-button"),
  },
  {
    description: "drag array",
    role: "button",
    view: "tree",
    ...inRow("array", "button.jsoneditor-dragarea"),
  },
  {
    description: "drag number",
    role: "button",
    view: "tree",
    ...inRow("number", "button.jsoneditor-dragarea"),
  },
  {
    description: "expand array",
    role: "button",
    view: "tree",
    ...inRow("array", "button.jsoneditor-collapsed"),
  },
  {
    description: "collapse object",
    role: "button",
    view: "tree",
    ...inRow("object", "button.jsoneditor-expanded"),
  },
  { description: "boolean", role: "checkbox", view: "tree", ...inRow("boolean", "input[type=checkbox]") },
  {
    description: "Hello World",
    view: "tree",
    note: "the contenteditable value; the snapshot lists its cell",
    ...same("div.jsoneditor-value", "Hello World"),
  },
  { description: "number", view: "tree", ...same("div.jsoneditor-field", "number") },
];

const MENU: AppTarget[] = [
  { description: "Type", view: "menu", ...menuItem("Type") },
  { description: "Sort", view: "menu", ...menuItem("Sort") },
  { description: "Insert", view: "menu", ...menuItem("Insert") },
  {
    description: "Select the type of the field to be inserted",
    view: "menu",
    ...same(".jsoneditor-menu li > button.jsoneditor-expand[title^='Select the type']"),
  },
  { description: "Duplicate", view: "menu", ...menuItem("Duplicate") },
  { description: "Remove", view: "menu", ...menuItem("Remove") },
  {
    description: "sort order",
    view: "menu",
    note: "5.x's split-button arrow beside Sort; 10.x's Sort opens a dialog and has no arrow",
    old: { css: ".jsoneditor-menu li:has(> button.jsoneditor-sort-asc) > button.jsoneditor-expand" },
    now: null,
  },
  {
    description: "Sort ascending",
    view: "sort",
    note: "5.x's submenu entry; gone with the arrow",
    old: { css: ".jsoneditor-menu ul button.jsoneditor-sort-asc" },
    now: null,
  },
  {
    description: "Sort descending",
    view: "sort",
    note: "5.x's submenu entry; gone with the arrow",
    old: { css: ".jsoneditor-menu ul button.jsoneditor-sort-desc" },
    now: null,
  },
];

const MODES: AppTarget[] = ["Code", "Form", "Text", "View"].map((mode) => ({
  description: mode,
  view: "modes",
  ...same(".jsoneditor-menu button.jsoneditor-type-modes", mode),
}));

// The second tree row is "array"; its actions-menu button opens the menu.
const ARRAY_MENU = {
  old: "table.jsoneditor-tree > tbody > tr:nth-child(2) button.jsoneditor-contextmenu",
  now: "table.jsoneditor-tree > tbody > tr:nth-child(2) button.jsoneditor-contextmenu-button",
};

export const JSONEDITOR: AppPair = {
  app: "jsoneditor",
  pkg: "jsoneditor",
  from: "5.5.11",
  to: "10.4.3",
  page: { old: "package/examples/03_switch_mode.html", now: "package/examples/03_switch_mode.html" },
  views: {
    tree: { old: [], now: [] },
    menu: { old: [ARRAY_MENU.old], now: [ARRAY_MENU.now] },
    // 10.x has no sort submenu: its view is the menu as it opens.
    sort: {
      old: [
        ARRAY_MENU.old,
        ".jsoneditor-menu li:has(> button.jsoneditor-sort-asc) > button.jsoneditor-expand",
      ],
      now: [ARRAY_MENU.now],
    },
    modes: { old: ["button.jsoneditor-modes"], now: ["button.jsoneditor-modes"] },
  },
  targets: [...TREE, ...MENU, ...MODES],
  use: "development",
};
