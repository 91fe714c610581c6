/**
 * TestDriver's in-page library, installed as window.__td in each document it inspects. Plain JavaScript in
 * a string: serialised TypeScript functions can carry transpiler helpers that do not exist in the page.
 * Both adapters run exactly this code, so snapshots and checks agree whichever framework is underneath.
 */
import { FORMS_SCRIPT } from "./page-forms.js";

export const PAGE_SCRIPT_VERSION = 7;

export const PAGE_SCRIPT = String.raw`
(function () {
  var V = __VERSION__;
  if (window.__td && window.__td.v === V) return;
  var td = { v: V, lastMutation: Date.now(), mutations: 0 };

  // DOM mutation tracking for quiescence waits; survives until the document is replaced.
  try {
    new MutationObserver(function (records) {
      td.mutations += records.length;
      td.lastMutation = Date.now();
    }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  } catch (e) {}

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

  function nameOf(el, role) {
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

  // A selector that is unique inside the element's root (document or shadow root).
  function uniqueSelector(el) {
    var root = rootOf(el);
    function unique(sel) { try { return root.querySelectorAll(sel).length === 1; } catch (e) { return false; } }
    if (el.id && unique("#" + cssEscape(el.id))) return "#" + cssEscape(el.id);
    var testId = el.getAttribute("data-testid") || el.getAttribute("data-test-id") || el.getAttribute("data-test");
    if (testId) {
      var attr = el.hasAttribute("data-testid") ? "data-testid" : el.hasAttribute("data-test-id") ? "data-test-id" : "data-test";
      var s = "[" + attr + '="' + testId.replace(/"/g, '\\"') + '"]';
      if (unique(s)) return s;
    }
    var name = el.getAttribute("name");
    if (name && (el.localName === "input" || el.localName === "select" || el.localName === "textarea")) {
      var ns = el.localName + '[name="' + name.replace(/"/g, '\\"') + '"]';
      if (unique(ns)) return ns;
    }
    var parts = [];
    var node = el;
    while (node && node.nodeType === 1) {
      var part = node.localName;
      if (node.id && unique("#" + cssEscape(node.id))) { parts.unshift("#" + cssEscape(node.id)); break; }
      var parent = node.parentElement;
      if (parent) {
        var same = Array.prototype.filter.call(parent.children, function (c) { return c.localName === node.localName; });
        if (same.length > 1) part += ":nth-of-type(" + (same.indexOf(node) + 1) + ")";
      }
      parts.unshift(part);
      if (unique(parts.join(" > "))) break;
      node = parent;
    }
    return parts.join(" > ");
  }

  function frameChain(doc) {
    var frames = [];
    var win = doc.defaultView;
    while (win && win !== window.top && win.frameElement) {
      var fe = win.frameElement;
      frames.unshift(fullHostChain(fe).concat([uniqueSelector(fe)]).join(" >>> "));
      win = fe.ownerDocument.defaultView;
    }
    return frames;
  }

  function fullHostChain(el) {
    var hosts = [];
    var root = rootOf(el);
    while (root && root.host) {
      hosts.unshift(uniqueSelector(root.host));
      root = rootOf(root.host);
    }
    return hosts;
  }

  function pathOf(el) {
    return { frames: frameChain(el.ownerDocument), hosts: fullHostChain(el), selector: uniqueSelector(el) };
  }

  function domPathOf(el) {
    var parts = [];
    var node = el;
    while (node) {
      if (node.nodeType === 1) { parts.unshift(node.localName); node = node.parentNode; }
      else if (node.host) { parts.unshift("#shadow"); node = node.host; }
      else if (node.nodeType === 9 && node.defaultView && node.defaultView.frameElement) { parts.unshift("#frame"); node = node.defaultView.frameElement; }
      else break;
    }
    return parts.join(">");
  }

  function frameOffset(doc) {
    var x = 0, y = 0, win = doc.defaultView;
    while (win && win !== window.top && win.frameElement) {
      var r = win.frameElement.getBoundingClientRect();
      var st = win.frameElement.ownerDocument.defaultView.getComputedStyle(win.frameElement);
      x += r.left + (parseFloat(st.borderLeftWidth) || 0) + (parseFloat(st.paddingLeft) || 0);
      y += r.top + (parseFloat(st.borderTopWidth) || 0) + (parseFloat(st.paddingTop) || 0);
      win = win.frameElement.ownerDocument.defaultView;
    }
    return { x: x, y: y };
  }

  function boxOf(el) {
    var r = el.getBoundingClientRect(), o = frameOffset(el.ownerDocument);
    return { x: Math.round(r.left + o.x), y: Math.round(r.top + o.y), width: Math.round(r.width), height: Math.round(r.height) };
  }

  var KEEP_ATTRS = ["id", "class", "name", "type", "placeholder", "href", "data-testid", "title", "alt", "for", "aria-label", "value", "src"];

  function hasOwnText(el) {
    for (var i = 0; i < el.childNodes.length; i++) {
      var n = el.childNodes[i];
      if (n.nodeType === 3 && norm(n.textContent)) return true;
    }
    return false;
  }

  // The role an element has in the snapshot, or "" when it is not listed: the one rule both the snapshot and
  // neighbour lookups use.
  function listedRole(el) {
    if (isHidden(el)) return "";
    var role = roleOf(el);
    if (role && role !== "presentation" && role !== "none" && role !== "generic") return role;
    if (el.onclick || el.hasAttribute("onclick") || (el.hasAttribute("tabindex") && el.tabIndex >= 0)) return "generic";
    if (hasOwnText(el) && !el.closest("button,a,label,h1,h2,h3,h4,h5,h6,option,summary,li,td,th,p")) return "text";
    return "";
  }

  function visibleAncestry(el) {
    // checkVisibility answers for the whole ancestry at once, where the browser has it.
    if (el.checkVisibility) return el.checkVisibility({ visibilityProperty: true });
    for (var n = el; n && n.nodeType === 1; n = n.parentElement) if (isHidden(n)) return false;
    return true;
  }

  // Names of the nearest listed elements before and after, in document order, that are neither ancestors
  // nor descendants: what surrounds the element on the page.
  function neighboursOfElement(el) {
    var doc = el.ownerDocument;
    var walker = doc.createTreeWalker(doc.body || doc.documentElement, NodeFilter.SHOW_ELEMENT);
    function scan(forward) {
      walker.currentNode = el;
      for (var i = 0; i < 400; i++) {
        var n = forward ? walker.nextNode() : walker.previousNode();
        if (!n) return "";
        if (n.contains(el) || el.contains(n)) continue;
        if (!visibleAncestry(n)) continue;
        var role = listedRole(n);
        if (!role) continue;
        var r = n.getBoundingClientRect();
        if (r.width <= 0 && r.height <= 0) continue;
        var name = nameOf(n, role);
        if (name) return name.slice(0, 80);
      }
      return "";
    }
    return [scan(false), scan(true)];
  }

  td.snapshot = function () {
    var nodes = [], skipped = [], counter = 0;
    td.elRefs = new Map();
    function visit(root, parentRef, depth) {
      var children = root.children || [];
      for (var i = 0; i < children.length; i++) {
        var el = children[i];
        if (el.localName === "script" || el.localName === "style" || el.localName === "template" || el.localName === "noscript" || el.localName === "head") continue;
        if (isHidden(el)) continue;
        var role = listedRole(el);
        var interesting = !!role;
        var myRef = parentRef;
        if (interesting) {
          var r = el.getBoundingClientRect();
          if (r.width > 0 || r.height > 0 || el.localName === "option") {
            var attrs = {};
            KEEP_ATTRS.forEach(function (a) { var v = el.getAttribute(a); if (v !== null && v !== "") attrs[a] = v.slice(0, 200); });
            var box = boxOf(el);
            var cx = box.x + box.width / 2, cy = box.y + box.height / 2;
            var node = {
              ref: "e" + (++counter), role: role, name: nameOf(el, role), tag: el.localName,
              text: role === "textbox" || role === "combobox" || role === "searchbox" ? "" : textContent(el).slice(0, 300),
              states: statesOf(el, role), attributes: attrs, box: box,
              inViewport: cx >= 0 && cy >= 0 && cx <= window.innerWidth && cy <= window.innerHeight,
              path: pathOf(el), domPath: domPathOf(el), depth: depth
            };
            if (parentRef) node.parentRef = parentRef;
            if (el.localName === "input" || el.localName === "textarea" || el.localName === "select") node.value = el.type === "password" ? (el.value ? "********" : "") : String(el.value).slice(0, 300);
            var lvl = /^h([1-6])$/.exec(el.localName);
            if (lvl) node.level = +lvl[1];
            else if (el.getAttribute("aria-level")) node.level = +el.getAttribute("aria-level");
            nodes.push(node);
            td.elRefs.set(el, node.ref);
            myRef = node.ref;
          }
        }
        var nextDepth = myRef !== parentRef ? depth + 1 : depth;
        if (el.shadowRoot) visit(el.shadowRoot, myRef, nextDepth);
        if (el.localName === "iframe" || el.localName === "frame") {
          var doc = null;
          try { doc = el.contentDocument; } catch (e) {}
          if (doc && doc.documentElement) { td.installIn(doc.defaultView); visit(doc, myRef, nextDepth); }
          else skipped.push(el.getAttribute("src") || uniqueSelector(el));
        }
        visit(el, myRef, nextDepth);
      }
    }
    visit(document, undefined, 0);
    return { url: location.href, title: document.title, nodes: nodes, skippedFrames: skipped };
  };

  // Finds the element of a path; null when any step misses.
  td.resolve = function (path) {
    var doc = document;
    for (var i = 0; i < path.frames.length; i++) {
      var fe = td.deepQuery(doc, path.frames[i]);
      if (!fe) return null;
      try { doc = fe.contentDocument; } catch (e) { return null; }
      if (!doc) return null;
    }
    var root = doc;
    for (var j = 0; j < path.hosts.length; j++) {
      var host = root.querySelector(path.hosts[j]);
      if (!host || !host.shadowRoot) return null;
      root = host.shadowRoot;
    }
    if (path.xpath) {
      var ctx = root.nodeType === 9 ? root : root.host;
      var res = (root.nodeType === 9 ? root : root.host.ownerDocument).evaluate(path.xpath, ctx, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null);
      return res.singleNodeValue;
    }
    try { return root.querySelector(path.selector); } catch (e) { return null; }
  };

  // "a >>> b": b inside the shadow root of a.
  td.deepQuery = function (doc, chain) {
    var parts = chain.split(" >>> "), root = doc, el = null;
    for (var i = 0; i < parts.length; i++) {
      el = root.querySelector(parts[i]);
      if (!el) return null;
      if (i < parts.length - 1) { root = el.shadowRoot; if (!root) return null; }
    }
    return el;
  };

  td.count = function (path) {
    if (path.frames.length || path.hosts.length || path.xpath) return td.resolve(path) ? 1 : 0;
    try { return document.querySelectorAll(path.selector).length; } catch (e) { return 0; }
  };

  td.textOf = function (path) {
    var el = td.resolve(path);
    if (!el) return null;
    if (el.localName === "input" || el.localName === "textarea") return el.value;
    if (el.localName === "select") return el.selectedOptions.length ? norm(el.selectedOptions[0].textContent) : "";
    return textContent(el);
  };

  // The element as a snapshot node would describe it (without ref), for any element a path resolves to.
  td.describe = function (path) {
    var el = td.resolve(path);
    if (!el) return null;
    var role = roleOf(el) || "generic";
    var attrs = {};
    KEEP_ATTRS.forEach(function (a) { var v = el.getAttribute(a); if (v !== null && v !== "") attrs[a] = v.slice(0, 200); });
    return { role: role, name: nameOf(el, role), tag: el.localName, attributes: attrs, box: boxOf(el),
      text: role === "textbox" || role === "combobox" || role === "searchbox" ? "" : textContent(el).slice(0, 300),
      states: statesOf(el, role), path: pathOf(el), domPath: domPathOf(el), neighbours: neighboursOfElement(el),
      matches: td.count(path),
      ref: td.elRefs ? td.elRefs.get(el) || null : null };
  };

  // Everything the page shows as text, through open shadow roots and same-origin frames.
  td.pageText = function () {
    var parts = [textContent(document.body)];
    document.querySelectorAll("iframe, frame").forEach(function (f) {
      try { if (f.contentDocument && f.contentDocument.body) parts.push(textContent(f.contentDocument.body)); } catch (e) {}
    });
    return norm(parts.join(" "));
  };

  // Actionability (spec §3.2): attached, visible, stable across two frames, enabled, and not covered.
  td.actionable = function (path) {
    var el = td.resolve(path);
    if (!el) return Promise.resolve({ found: false, reason: "not attached" });
    var view = el.ownerDocument.defaultView;
    return new Promise(function (resolve) {
      var first = el.getBoundingClientRect();
      view.requestAnimationFrame(function () {
        view.requestAnimationFrame(function () {
          var r = el.getBoundingClientRect();
          var style = view.getComputedStyle(el);
          var visible = r.width > 0 && r.height > 0 && style.visibility !== "hidden" && style.display !== "none" && parseFloat(style.opacity) > 0;
          var stable = Math.abs(r.left - first.left) < 1 && Math.abs(r.top - first.top) < 1 && Math.abs(r.width - first.width) < 1 && Math.abs(r.height - first.height) < 1;
          var enabled = !(el.disabled || el.getAttribute("aria-disabled") === "true" || (el.closest && el.closest("fieldset[disabled]")));
          var covered = false, coveredBy = "";
          if (visible) {
            var cx = Math.min(Math.max(r.left + r.width / 2, 0), view.innerWidth - 1);
            var cy = Math.min(Math.max(r.top + r.height / 2, 0), view.innerHeight - 1);
            var inView = r.bottom > 0 && r.right > 0 && r.top < view.innerHeight && r.left < view.innerWidth;
            if (inView) {
              var hit = rootOf(el).elementFromPoint ? rootOf(el).elementFromPoint(cx, cy) : el.ownerDocument.elementFromPoint(cx, cy);
              var hitsSelf = hit && (hit === el || el.contains(hit) || (hit.shadowRoot && hit.shadowRoot.contains(el)) || (el.labels && Array.prototype.some.call(el.labels, function (l) { return l === hit || l.contains(hit); })));
              if (hit && !hitsSelf) { covered = true; coveredBy = hit.localName + (hit.id ? "#" + hit.id : "") + (hit.className && typeof hit.className === "string" ? "." + hit.className.trim().split(/\s+/).join(".") : ""); }
            }
          }
          var reason = !visible ? "not visible" : !stable ? "moving" : !enabled ? "disabled" : covered ? "covered by " + coveredBy : "";
          resolve({ found: true, visible: visible, stable: stable, enabled: enabled, covered: covered, ok: !reason, reason: reason, box: boxOf(el) });
        });
      });
    });
  };

  td.state = function () {
    return { url: location.href, title: document.title, scroll: { x: Math.round(window.scrollX), y: Math.round(window.scrollY) },
      viewport: { width: window.innerWidth, height: window.innerHeight }, lastMutation: td.lastMutation, mutations: td.mutations, now: Date.now(),
      readyState: document.readyState };
  };

  td.installIn = function (win) {
    if (win === window || (win.__td && win.__td.v === V)) return;
    // Same-origin frames share the library, with their own mutation clock.
    var child = Object.create(td);
    child.lastMutation = Date.now();
    child.mutations = 0;
    try {
      new win.MutationObserver(function (records) { child.mutations += records.length; child.lastMutation = Date.now(); td.lastMutation = Date.now(); })
        .observe(win.document, { subtree: true, childList: true, attributes: true, characterData: true });
    } catch (e) {}
    win.__td = child;
  };

${FORMS_SCRIPT}
  window.__td = td;
})();
`.replace("__VERSION__", String(PAGE_SCRIPT_VERSION));

/**
 * An expression that installs the library if this document lacks it and then evaluates `call` (an
 * expression over `td`). Both frameworks evaluate it directly, which CSP does not restrict.
 */
export function pageCall(call: string): string {
  return `(function () { if (!window.__td || window.__td.v !== ${PAGE_SCRIPT_VERSION}) { ${PAGE_SCRIPT} } var td = window.__td; return ${call}; })()`;
}

/** Marks a document that has no library yet: the caller then sends `pageCall`, library included. */
export const MISSING = "__td_missing__";

/** The same call without the library: cheap once a document has it, `MISSING` when it does not. */
export function pageCallIfInstalled(call: string): string {
  return `(function () { if (!window.__td || window.__td.v !== ${PAGE_SCRIPT_VERSION}) return "${MISSING}"; var td = window.__td; return ${call}; })()`;
}
