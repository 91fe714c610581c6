/**
 * Part of the in-page library (see page-script.ts): what an element is to a user: visible or not, its role,
 * its text, its accessible name (from context when it has none of its own) and its states.
 */
export const PAGE_ELEMENT = String.raw`
  function norm(s) { return (s || "").replace(/\s+/g, " ").trim(); }
  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/[^a-zA-Z0-9_-]/g, "\\$&"); }
  function rootOf(el) { var r = el.getRootNode ? el.getRootNode() : document; return r; }

  function isHidden(el) {
    if (el.hidden) return true;
    if (el.getAttribute && el.getAttribute("aria-hidden") === "true") return true;
    var view = el.ownerDocument.defaultView;
    var style = view.getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden" || style.visibility === "collapse") return true;
    return false;
  }

  var INPUT_ROLES = { button: "button", submit: "button", reset: "button", image: "button", checkbox: "checkbox",
    radio: "radio", range: "slider", number: "spinbutton", search: "searchbox", email: "textbox", tel: "textbox",
    text: "textbox", url: "textbox", password: "textbox", file: "button", date: "textbox", "datetime-local": "textbox",
    month: "textbox", time: "textbox", week: "textbox", color: "button" };
  var TAG_ROLES = { button: "button", textarea: "textbox", nav: "navigation", main: "main", header: "banner",
    footer: "contentinfo", aside: "complementary", form: "form", dialog: "dialog", ul: "list", ol: "list",
    li: "listitem", table: "table", tr: "row", td: "cell", th: "columnheader", option: "option", img: "img",
    h1: "heading", h2: "heading", h3: "heading", h4: "heading", h5: "heading", h6: "heading", progress: "progressbar",
    fieldset: "group", details: "group", summary: "button", label: "label", p: "paragraph", article: "article" };
  var NAME_FROM_CONTENT = { button: 1, link: 1, heading: 1, tab: 1, menuitem: 1, option: 1, cell: 1, columnheader: 1,
    listitem: 1, checkbox: 1, radio: 1, switch: 1, treeitem: 1, label: 1, paragraph: 1, text: 1, tooltip: 1 };

  function roleOf(el) {
    var explicit = el.getAttribute("role");
    if (explicit) return explicit.split(/\s+/)[0];
    var tag = el.localName;
    if (tag === "a" || tag === "area") return el.hasAttribute("href") ? "link" : "";
    if (tag === "input") {
      var type = (el.getAttribute("type") || "text").toLowerCase();
      if (type === "hidden") return "";
      if ((type === "text" || type === "search" || type === "email" || type === "tel" || type === "url") && el.getAttribute("list")) return "combobox";
      return INPUT_ROLES[type] || "textbox";
    }
    if (tag === "select") return el.multiple || el.size > 1 ? "listbox" : "combobox";
    if (tag === "img") return el.getAttribute("alt") === "" ? "presentation" : "img";
    if (tag === "section") return el.hasAttribute("aria-label") || el.hasAttribute("aria-labelledby") ? "region" : "";
    return TAG_ROLES[tag] || "";
  }

  function textContent(el) {
    // innerText respects CSS (hidden parts, line breaks); for shadow hosts, read the shadow tree as rendered.
    if (el.shadowRoot) {
      var parts = [];
      el.shadowRoot.childNodes.forEach(function (n) { parts.push(n.nodeType === 1 ? textContent(n) : n.textContent); });
      return norm(parts.join(" "));
    }
    var alts = "";
    if (el.querySelectorAll) el.querySelectorAll("img[alt]").forEach(function (img) { alts += " " + img.getAttribute("alt"); });
    return norm((el.innerText !== undefined ? el.innerText : el.textContent) + alts);
  }

  function byIds(el, ids) {
    var doc = el.ownerDocument, root = rootOf(el);
    return norm(ids.split(/\s+/).map(function (id) {
      var t = (root.getElementById && root.getElementById(id)) || doc.getElementById(id);
      return t ? textContent(t) : "";
    }).join(" "));
  }

  function labelText(el) {
    var texts = [];
    if (el.labels) el.labels.forEach(function (l) {
      var clone = l.cloneNode(true);
      clone.querySelectorAll("input,select,textarea,button").forEach(function (c) { c.remove(); });
      texts.push(norm(clone.textContent));
    });
    return norm(texts.join(" "));
  }

  // Controls one acts on that have no name of their own: TodoMVC's toggle and destroy are "" to a screen
  // reader, yet a person calls them by their row ("tick Walk the dog").
  var NAMED_BY_CONTEXT = { checkbox: 1, radio: 1, switch: 1, button: 1, link: 1, menuitem: 1, tab: 1, textbox: 1 };
  var ROW_SELECTOR = "li, tr, [role=row], [role=listitem], [role=option], [role=treeitem], article";

  function contextName(el) {
    var svgTitle = el.querySelector && el.querySelector("svg title");
    if (svgTitle && norm(svgTitle.textContent)) return norm(svgTitle.textContent);
    var row = el.parentElement && el.parentElement.closest ? el.parentElement.closest(ROW_SELECTOR) : null;
    if (row) { var t = textContent(row); if (t) return t.slice(0, 80); }
    var prev = el.previousElementSibling;
    if (prev && (prev.localName === "label" || prev.localName === "span")) return textContent(prev).slice(0, 80);
    return "";
  }

  function nameOf(el, role) {
    var own = ownNameOf(el, role);
    return own || !NAMED_BY_CONTEXT[role] ? own : contextName(el);
  }

  function ownNameOf(el, role) {
    var v = el.getAttribute("aria-labelledby");
    if (v) { var t = byIds(el, v); if (t) return t; }
    v = el.getAttribute("aria-label");
    if (v && norm(v)) return norm(v);
    var tag = el.localName;
    if (tag === "input" || tag === "select" || tag === "textarea" || tag === "meter" || tag === "progress") {
      var type = (el.getAttribute("type") || "").toLowerCase();
      if (type === "submit" || type === "reset" || type === "button") return norm(el.value) || (type === "submit" ? "Submit" : type === "reset" ? "Reset" : "");
      if (type === "image") return norm(el.getAttribute("alt") || el.value || "Submit");
      var l = labelText(el);
      if (l) return l;
      v = el.getAttribute("placeholder") || el.getAttribute("title");
      return norm(v);
    }
    if (tag === "img" || tag === "area") return norm(el.getAttribute("alt") || el.getAttribute("title"));
    if (tag === "fieldset") { var lg = el.querySelector("legend"); if (lg) return textContent(lg); }
    if (tag === "table") { var cap = el.querySelector("caption"); if (cap) return textContent(cap); }
    if (NAME_FROM_CONTENT[role] || el.shadowRoot) { var c = textContent(el); if (c) return c.slice(0, 200); }
    return norm(el.getAttribute("title"));
  }

  function statesOf(el, role) {
    var s = {};
    var ad = el.getAttribute("aria-disabled");
    if (el.disabled || ad === "true" || (el.closest && el.closest("fieldset[disabled]") && el.localName !== "legend")) s.disabled = true;
    var ac = el.getAttribute("aria-checked");
    if (ac === "mixed") s.checked = "mixed";
    else if (ac) s.checked = ac === "true";
    else if (el.localName === "input" && (el.type === "checkbox" || el.type === "radio")) s.checked = el.indeterminate ? "mixed" : !!el.checked;
    var ae = el.getAttribute("aria-expanded");
    if (ae) s.expanded = ae === "true";
    else if (el.localName === "details") s.expanded = !!el.open;
    var as = el.getAttribute("aria-selected");
    if (as) s.selected = as === "true";
    else if (el.localName === "option") s.selected = !!el.selected;
    if (el.required || el.getAttribute("aria-required") === "true") s.required = true;
    if (el.getAttribute("aria-invalid") === "true" || (el.willValidate && el.validity && !el.validity.valid && el.matches(":user-invalid, .td-touched"))) s.invalid = true;
    if (el.getAttribute("aria-invalid") === "true") s.invalid = true;
    var active = el.ownerDocument.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
    if (active === el) s.focused = true;
    if (el.readOnly || el.getAttribute("aria-readonly") === "true") s.readonly = true;
    return s;
  }

`;
