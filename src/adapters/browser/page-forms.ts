/**
 * The page library's form functions (part of PAGE_SCRIPT, inside its closure: `td`, `pathOf` and `rootOf`
 * are in scope). They read what a person changed in a page's forms, and put it back, for resuming a run
 * in a fresh browser. Plain JavaScript in a string, for the reason given in page-script.ts.
 *
 * - `td.formState()`: every field whose state differs from the default the page was served with (what was
 *   typed, ticked or chosen), through open shadow roots and same-origin frames, and the focused element.
 *   Password fields are listed without their value. Hidden and file inputs and buttons are left out: the
 *   page or the server set them, and an old value (a CSRF token) would do harm.
 * - `td.setFields(fields)`: sets each field as a person's input would reach the page's scripts: through the
 *   native value setter (frameworks that track values, such as React, see the change) and `input` and
 *   `change` events; checkboxes and radios by a click, as a user toggles them.
 * - `td.readFields(fields)`: the current state of the same fields, or null where a path finds nothing.
 * - `td.focusPath(path)`: focuses an element; whether it has the focus afterwards.
 * - `td.matchPaths(paths, among)`: for each path, the index of the path in `among` that finds the same
 *   element (two paths may be written differently: a step's selector, a snapshot's), or -1.
 */
export const FORMS_SCRIPT = `
  var SKIP_TYPES = { hidden: 1, file: 1, submit: 1, reset: 1, button: 1, image: 1 };
  var MAX_VALUE = 65536;

  function fieldKind(el) {
    if (el.localName === "select") return "select";
    if (el.localName === "textarea") return "text";
    if (el.localName !== "input") return "";
    var type = (el.getAttribute("type") || "text").toLowerCase();
    if (SKIP_TYPES[type]) return "";
    if (type === "checkbox" || type === "radio") return "check";
    return type === "password" ? "password" : "text";
  }

  function eachField(root, visit) {
    var all = root.querySelectorAll("*");
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (el.localName === "input" || el.localName === "textarea" || el.localName === "select") visit(el);
      if (el.shadowRoot) eachField(el.shadowRoot, visit);
      if (el.localName === "iframe" || el.localName === "frame") {
        var doc = null;
        try { doc = el.contentDocument; } catch (e) {}
        if (doc && doc.documentElement) eachField(doc, visit);
      }
    }
  }

  // The option a select shows when nothing was chosen: the last marked selected, else the first enabled
  // one (a drop-down), else none (a list box).
  function defaultIndex(el) {
    var d = -1;
    for (var i = 0; i < el.options.length; i++) if (el.options[i].defaultSelected) d = i;
    if (d >= 0 || el.multiple || el.size > 1) return d;
    for (var j = 0; j < el.options.length; j++) if (!el.options[j].disabled) return j;
    return -1;
  }

  function changed(el, kind) {
    if (kind === "check") return el.checked !== el.defaultChecked;
    if (kind === "select") {
      if (!el.multiple) return el.selectedIndex !== defaultIndex(el);
      for (var i = 0; i < el.options.length; i++) if (el.options[i].selected !== el.options[i].defaultSelected) return true;
      return false;
    }
    return el.value !== el.defaultValue;
  }

  function chosen(el) {
    var values = [];
    for (var i = 0; i < el.options.length; i++) if (el.options[i].selected) values.push(el.options[i].value);
    return values;
  }

  function stateOf(el) {
    var kind = fieldKind(el);
    if (kind === "check") return { kind: kind, checked: el.checked };
    if (kind === "select") return { kind: kind, values: chosen(el) };
    return { kind: kind, value: el.value };
  }

  function deepActive(doc) {
    var active = doc.activeElement;
    for (;;) {
      if (active && active.shadowRoot && active.shadowRoot.activeElement) { active = active.shadowRoot.activeElement; continue; }
      if (active && (active.localName === "iframe" || active.localName === "frame")) {
        var inner = null;
        try { inner = active.contentDocument; } catch (e) {}
        if (inner && inner.activeElement && inner.activeElement !== inner.body) { active = inner.activeElement; continue; }
      }
      return active;
    }
  }

  td.formState = function () {
    var fields = [], omitted = [];
    eachField(document, function (el) {
      var kind = fieldKind(el);
      if (!kind || !changed(el, kind)) return;
      var path = pathOf(el);
      if (kind === "password") omitted.push({ path: path, reason: "password" });
      else if (kind === "text" && el.value.length > MAX_VALUE) omitted.push({ path: path, reason: "too long" });
      else { var s = stateOf(el); s.path = path; fields.push(s); }
    });
    var active = deepActive(document);
    var focused = active && active !== active.ownerDocument.body && active !== active.ownerDocument.documentElement ? pathOf(active) : null;
    return { fields: fields, omitted: omitted, focused: focused };
  };

  function setNative(el, prop, value) {
    var view = el.ownerDocument.defaultView;
    var proto = el.localName === "textarea" ? view.HTMLTextAreaElement.prototype : el.localName === "select" ? view.HTMLSelectElement.prototype : view.HTMLInputElement.prototype;
    var d = Object.getOwnPropertyDescriptor(proto, prop);
    if (d && d.set) d.set.call(el, value); else el[prop] = value;
  }

  function fire(el, type) {
    var view = el.ownerDocument.defaultView;
    el.dispatchEvent(new view.Event(type, { bubbles: true }));
  }

  td.setFields = function (fields) {
    // Ticks first: checking one radio unchecks the rest of its group, which the unticks then agree with.
    var order = fields.map(function (f, i) { return i; }).sort(function (a, b) {
      return (fields[b].checked === true ? 1 : 0) - (fields[a].checked === true ? 1 : 0) || a - b;
    });
    var results = [];
    order.forEach(function (i) {
      var f = fields[i], el = td.resolve(f.path);
      if (!el) { results[i] = "not found"; return; }
      if (fieldKind(el) !== f.kind) { results[i] = "is now a " + el.localName + " of another kind"; return; }
      try {
        if (f.kind === "check") {
          if (el.checked !== f.checked) {
            if (f.checked || el.type === "checkbox") el.click();
            else { setNative(el, "checked", false); fire(el, "input"); fire(el, "change"); }
          }
        } else if (f.kind === "select") {
          for (var k = 0; k < el.options.length; k++) el.options[k].selected = f.values.indexOf(el.options[k].value) >= 0;
          fire(el, "input");
          fire(el, "change");
        } else {
          setNative(el, "value", f.value);
          fire(el, "input");
          fire(el, "change");
        }
        results[i] = "";
      } catch (e) {
        results[i] = String((e && e.message) || e);
      }
    });
    return results;
  };

  td.readFields = function (paths) {
    return paths.map(function (p) {
      var el = td.resolve(p);
      if (!el || !fieldKind(el)) return null;
      var s = stateOf(el);
      // A select step may name options by label: say which labels are chosen too.
      if (s.kind === "select") s.labels = Array.prototype.filter.call(el.options, function (o) { return o.selected; }).map(function (o) { return (o.label || o.textContent || "").trim(); });
      return s;
    });
  };

  td.matchPaths = function (paths, among) {
    var targets = among.map(function (p) { return td.resolve(p); });
    return paths.map(function (p) {
      var el = td.resolve(p);
      return el ? targets.indexOf(el) : -1;
    });
  };

  td.focusPath = function (path) {
    var el = td.resolve(path);
    if (!el || typeof el.focus !== "function") return false;
    el.focus({ preventScroll: true });
    return deepActive(document) === el;
  };
`;
