/**
 * Part of the in-page library (see page-script.ts): where an element is: a unique selector, its frames and
 * shadow hosts, its tag path, its box, and the listed elements around it.
 */
export const PAGE_PATHS = String.raw`
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

  // What the engine records around a snapshot node (surroundingsOf in src/engine/locate-nodes.ts), for an
  // element found by selector: the enclosing row or card's text without the element's own name, and the
  // nearest named heading before it (an ancestor included, as in snapshot order) with its box.
  var ROW_ROLES = { listitem: 1, row: 1, article: 1, option: 1, treeitem: 1, gridcell: 1 };
  function shown(n) {
    var r = n.getBoundingClientRect();
    return (r.width > 0 || r.height > 0) && visibleAncestry(n);
  }
  function surroundingsOfElement(el, ownName) {
    var out = {};
    for (var p = el.parentElement; p; p = p.parentElement) {
      var role = listedRole(p);
      if (!ROW_ROLES[role] || !shown(p)) continue;
      var own = norm(ownName || "");
      var text = norm(textContent(p).slice(0, 300) || nameOf(p, role));
      var context = norm(own && text !== own ? text.replace(own, " ") : text);
      if (context) out.context = context;
      break;
    }
    var doc = el.ownerDocument;
    var walker = doc.createTreeWalker(doc.body || doc.documentElement, NodeFilter.SHOW_ELEMENT);
    walker.currentNode = el;
    for (var i = 0; i < 5000; i++) {
      var n = walker.previousNode();
      if (!n) break;
      if (listedRole(n) !== "heading" || !shown(n)) continue;
      var name = nameOf(n, "heading");
      if (!name) continue;
      out.heading = name;
      out.headingBox = boxOf(n);
      break;
    }
    return out;
  }

`;
