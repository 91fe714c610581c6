import {
  type ElementLocator,
  type Fingerprint,
  fingerprintOf,
  type Surroundings,
} from "../domain/healing/fingerprint.js";
import type { Role } from "../domain/locators/locators.js";
import type { TargetSpec } from "../domain/plan/model.js";
import type { Located } from "../domain/run/events.js";
import type { AccessibilityNode, Target } from "../ports/browser.js";

export const toLocator = (path: {
  frames: string[];
  hosts: string[];
  selector: string;
  xpath?: string;
}): ElementLocator => ({
  frames: path.frames,
  hosts: path.hosts,
  selector: path.selector,
  ...(path.xpath ? { xpath: path.xpath } : {}),
});

/**
 * Names of the nearest nodes before and after, skipping the node's own ancestors and descendants: a
 * container's name often repeats the element's own text and says nothing about its surroundings.
 */
export function neighboursOf(nodes: AccessibilityNode[], i: number): string[] {
  const byRef = new Map(nodes.map((n) => [n.ref, n]));
  const ancestors = new Set<string>();
  for (let p = nodes[i]!.parentRef; p; p = byRef.get(p)?.parentRef) ancestors.add(p);
  const isDescendant = (n: AccessibilityNode) => {
    for (let p = n.parentRef; p; p = byRef.get(p)?.parentRef) if (p === nodes[i]!.ref) return true;
    return false;
  };
  const unrelated = (n: AccessibilityNode | undefined) =>
    n && !ancestors.has(n.ref) && !isDescendant(n) && n.name;
  let before: AccessibilityNode | undefined;
  for (let j = i - 1; j >= 0 && !before; j--) if (unrelated(nodes[j])) before = nodes[j];
  let after: AccessibilityNode | undefined;
  for (let j = i + 1; j < nodes.length && !after; j++) if (unrelated(nodes[j])) after = nodes[j];
  return [before?.name ?? "", after?.name ?? ""].map((s) => s.slice(0, 80));
}

// Containers whose text belongs to each element inside them: one row's "Delete" is not another row's.
export const ROW_ROLES = new Set(["listitem", "row", "article", "option", "treeitem", "gridcell"]);

/** The enclosing row or card's text (the element's own words left out) and the nearest heading before it. */
export function surroundingsOf(
  nodes: AccessibilityNode[],
  i: number,
  byRef: Map<string, AccessibilityNode> = new Map(nodes.map((n) => [n.ref, n])),
): Surroundings {
  const node = nodes[i]!;
  let context: string | undefined;
  for (let p = node.parentRef; p && !context; p = byRef.get(p)?.parentRef) {
    const parent = byRef.get(p);
    if (parent && ROW_ROLES.has(parent.role)) {
      const own = node.name.trim();
      const text = (parent.text || parent.name).replace(/\s+/g, " ").trim();
      context = (own && text !== own ? text.replace(own, " ") : text).replace(/\s+/g, " ").trim();
    }
  }
  let h = i - 1;
  while (h >= 0 && !(nodes[h]!.role === "heading" && nodes[h]!.name)) h--;
  const heading = h >= 0 ? nodes[h]! : undefined;
  return {
    ...(context ? { context } : {}),
    ...(heading ? { heading: heading.name, headingBox: heading.box } : {}),
  };
}

/** Fingerprints of every node of a snapshot, surroundings included. */
export function fingerprintsOf(nodes: AccessibilityNode[]): Fingerprint[] {
  const byRef = new Map(nodes.map((n) => [n.ref, n]));
  return nodes.map((node, i) => fingerprintOf(node, neighboursOf(nodes, i), surroundingsOf(nodes, i, byRef)));
}

/** A result for an element of the snapshot, found by description or by the vision adapter. */
export function foundNode(
  nodes: AccessibilityNode[],
  node: AccessibilityNode,
  role: Role,
  strategy: "accessibility" | "vision",
  confidence: number,
): { target: Target; located: Located } {
  const i = nodes.indexOf(node);
  return {
    target: { path: node.path },
    located: {
      role,
      strategy,
      locator: toLocator(node.path),
      confidence: Math.round(confidence * 1000) / 1000,
      fingerprint: fingerprintOf(node, neighboursOf(nodes, i), surroundingsOf(nodes, i)),
    },
  };
}

export function explicitTarget(spec: TargetSpec): Target | undefined {
  if (spec.ref) return { ref: spec.ref };
  if (spec.css) return { css: spec.css, ...(spec.frame ? { frame: spec.frame } : {}) };
  if (spec.xpath) return { xpath: spec.xpath, ...(spec.frame ? { frame: spec.frame } : {}) };
  return undefined;
}

export function explicitLocator(spec: TargetSpec): ElementLocator | undefined {
  if (spec.css) return { frames: spec.frame ? [spec.frame] : [], hosts: [], selector: spec.css };
  if (spec.xpath)
    return { frames: spec.frame ? [spec.frame] : [], hosts: [], selector: "", xpath: spec.xpath };
  return undefined;
}
