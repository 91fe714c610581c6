/**
 * TestDriver's in-page library, installed as window.__td in each document it inspects. Plain JavaScript in
 * a string: serialised TypeScript functions can carry transpiler helpers that do not exist in the page.
 * Both adapters run exactly this code, so snapshots and checks agree whichever framework is underneath.
 */
import { PAGE_ELEMENT } from "./page-element.js";
import { FORMS_SCRIPT } from "./page-forms.js";
import { PAGE_PATHS } from "./page-paths.js";

export const PAGE_SCRIPT_VERSION = 8;

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

${PAGE_ELEMENT}

${PAGE_PATHS}

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
    var name = nameOf(el, role);
    return { role: role, name: name, tag: el.localName, attributes: attrs, box: boxOf(el),
      surroundings: surroundingsOfElement(el, name),
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
