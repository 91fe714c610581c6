import type { AppPair, AppTarget, Where } from "./healing-apps-corpus.js";

/**
 * TiddlyWiki 5.1.14 (2017) against 5.3.8: the empty edition each package builds (in the release's folder,
 * `cd package && node tiddlywiki.js editions/empty --output "$PWD/../out" --build index`: out/index.html), with
 * its GettingStarted tiddler open. Between them the sidebar tabs became `switch`es,
 * page-control buttons got per-button classes, the tiddler's "edit" button was renamed "Edit this
 * tiddler", the setup table's labels lost their colons and moved, the external link went from http to
 * https, the tiddler frame became an `article` inside a `main`, and each Tools entry moved from a `p` of
 * its own into a `div` inside one shared `p` (its checkbox stays nameless). The Tools tab's "import" entry
 * linked the word "TiddlyWiki" in 5.1.14; in 5.3.8 it is plain text (a removed target).
 *
 * Held out: this pair's truth was written from the markup before any heal was scored on it, and nothing
 * in the features or the model was changed after looking at its results.
 */

const same = (css: string, text?: string): { old: Where; now: Where } => ({
  old: { css, ...(text ? { text } : {}) },
  now: { css, ...(text ? { text } : {}) },
});

const tab = (name: string): AppTarget => ({
  description: name,
  view: "open",
  note: "button in 5.1.14, role switch in 5.3.8",
  ...same(".tc-sidebar-lists .tc-tab-buttons button", name),
});

const OPEN: AppTarget[] = [
  { description: "hide sidebar", view: "open", ...same("button[title='Hide sidebar']") },
  { description: "new tiddler", view: "open", ...same("button[title='Create a new tiddler']") },
  {
    description: "control panel",
    role: "button",
    view: "open",
    ...same("button[title='Open control panel']"),
  },
  { description: "save changes", view: "open", ...same("button[title='Save changes']") },
  { description: "Search", view: "open", note: "a nameless search input", ...same("input[type=search]") },
  { description: "advanced search", view: "open", ...same("button[title='Advanced search']") },
  tab("Open"),
  tab("Recent"),
  tab("Tools"),
  tab("More"),
  {
    description: "close GettingStarted",
    view: "open",
    note: "the sidebar's close button, × in 5.1.14, an icon in 5.3.8",
    ...same(".tc-sidebar-lists button[title='Close this tiddler']"),
  },
  { description: "GettingStarted", view: "open", ...same(".tc-sidebar-lists a", "GettingStarted") },
  { description: "close all", view: "open", ...same(".tc-sidebar-lists button", "close all") },
  { description: "more actions", view: "open", ...same(".tc-tiddler-frame button[title='More actions']") },
  {
    description: "edit",
    view: "open",
    note: 'aria-label "edit" became "Edit this tiddler"',
    ...same(".tc-tiddler-frame button[title='Edit this tiddler']"),
  },
  { description: "close", view: "open", ...same(".tc-tiddler-frame button[title='Close this tiddler']") },
  {
    description: "tiddlywiki.com GettingStarted",
    view: "open",
    note: "http://tiddlywiki.com/#GettingStarted became https://",
    ...same(".tc-tiddler-frame a.tc-tiddlylink-external"),
  },
  {
    description: "Title of this TiddlyWiki:",
    view: "open",
    note: 'the link lost its colon: "Title of this TiddlyWiki"',
    ...same(".tc-tiddler-frame a[href='#%24%3A%2FSiteTitle']"),
  },
  {
    description: "Title of this TiddlyWiki",
    role: "textbox",
    view: "open",
    old: { css: "input", within: { css: "tr", text: "Title of this TiddlyWiki" } },
    now: { css: "input", within: { css: "tr", text: "Title of this TiddlyWiki" } },
  },
  {
    description: "Subtitle",
    role: "textbox",
    view: "open",
    old: { css: "input", within: { css: "tr", text: "Subtitle" } },
    now: { css: "input", within: { css: "tr", text: "Subtitle" } },
  },
  { description: "Default tiddlers", role: "textbox", view: "open", ...same(".tc-tiddler-frame textarea") },
  {
    description: "retain story ordering",
    view: "open",
    ...same(".tc-tiddler-frame button", "retain story ordering"),
  },
  {
    description: "control panel",
    role: "link",
    view: "open",
    ...same(".tc-tiddler-frame a[href='#%24%3A%2FControlPanel']"),
  },
];

/** A Tools entry's nameless checkbox (shows the button in the page controls), beside the button titled so. */
const toolCheckbox = (title: string, description: string): AppTarget => ({
  description,
  role: "checkbox",
  view: "tools",
  old: { css: `p:has(> button[title^='${title}']) input[type=checkbox]` },
  now: { css: `div.tc-sidebar-tools-item:has(> button[title^='${title}']) input[type=checkbox]` },
});

const toolButton = (title: string, description: string): AppTarget => ({
  description,
  view: "tools",
  ...same(`.tc-sidebar-lists button[title^='${title}']`),
});

const TOOLS: AppTarget[] = [
  toolCheckbox("Fold the bodies", "show fold all tiddlers in the page controls"),
  toolCheckbox("Set browser address bar", "show permaview in the page controls"),
  toolCheckbox("Enter or leave full-screen", "show full-screen in the page controls"),
  toolButton("Fold the bodies", "fold all tiddlers"),
  toolButton("Set browser address bar", "permaview"),
  toolButton("Create a new journal", "new journal"),
  toolButton("Import many types", "import"),
  toolButton("Export all", "export all"),
  toolButton("Enter or leave full-screen", "full-screen"),
  {
    description: "TiddlyWiki",
    role: "link",
    view: "tools",
    note: "the import entry's linked word in 5.1.14; plain text in 5.3.8",
    old: { css: ".tc-sidebar-lists a.tc-tiddlylink", text: "TiddlyWiki" },
    now: null,
  },
];

const MORE: AppTarget[] = [
  { description: "Shadows", view: "more", ...same(".tc-sidebar-lists .tc-tab-buttons button", "Shadows") },
  { description: "Tags", view: "more", ...same(".tc-sidebar-lists .tc-tab-buttons button", "Tags") },
  { description: "untagged", view: "more", ...same(".tc-sidebar-lists button", "untagged") },
];

const SIDEBAR_TAB = (n: number) => `.tc-sidebar-lists .tc-tab-buttons button:nth-of-type(${n})`;

export const TIDDLYWIKI: AppPair = {
  app: "tiddlywiki",
  pkg: "tiddlywiki",
  from: "5.1.14",
  to: "5.3.8",
  page: { old: "out/index.html", now: "out/index.html" },
  views: {
    open: { old: [], now: [] },
    tools: { old: [SIDEBAR_TAB(3)], now: [SIDEBAR_TAB(3)] },
    more: { old: [SIDEBAR_TAB(4)], now: [SIDEBAR_TAB(4)] },
  },
  targets: [...OPEN, ...TOOLS, ...MORE],
  use: "held-out",
};
