import { roleClass } from "../domain/healing/features.js";
import { matchNodes, type NodeMatch } from "../domain/locate/match.js";
import type { TargetSpec } from "../domain/plan/model.js";
import type { AccessibilityNode } from "../ports/browser.js";
import { ROW_ROLES } from "./locate-nodes.js";

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();

/** The text of the row, list item or card around a node, lower-cased; "" when it sits in none. */
function rowTextOf(node: AccessibilityNode, byRef: Map<string, AccessibilityNode>): string {
  for (let p = node.parentRef; p; p = byRef.get(p)?.parentRef) {
    const parent = byRef.get(p);
    if (parent && ROW_ROLES.has(parent.role)) return norm(`${parent.name} ${parent.text}`);
  }
  return "";
}

/**
 * The snapshot's nodes that fit a target given by words, best first: `role` filters (up to equivalents, a
 * link for a button), `within` keeps the nodes of the row or card whose text names it, `nth` picks among
 * equally good matches in page order. `pool` is what was left after the filters, to show when none fits.
 */
export function describedMatches(
  nodes: AccessibilityNode[],
  spec: TargetSpec,
  interactive: boolean,
  minScore: number,
): { matches: NodeMatch<AccessibilityNode>[]; pool: AccessibilityNode[] } {
  let pool = spec.role ? nodes.filter((n) => roleClass(n.role) === roleClass(spec.role!)) : nodes;
  if (spec.within) {
    const within = norm(spec.within);
    const byRef = new Map(nodes.map((n) => [n.ref, n]));
    pool = pool.filter((n) => rowTextOf(n, byRef).includes(within));
  }
  let matches = spec.description
    ? matchNodes(pool, spec.description, { role: spec.role, interactive })
    : pool.map((node) => ({ node, score: 1 }));
  // "its delete button" in a row that has one button of that role: the words name the control's kind
  // (an icon, a class) rather than its text, and the row and role already single it out.
  if (spec.within && spec.role && pool.length === 1 && (matches[0]?.score ?? 0) < minScore) {
    matches = [{ node: pool[0]!, score: minScore }];
  }
  if (spec.nth && matches.length > 0) {
    const best = matches[0]!.score;
    const order = new Map(nodes.map((n, i) => [n, i]));
    const tied = matches
      .filter((m) => m.score >= best - 0.05)
      .sort((a, b) => order.get(a.node)! - order.get(b.node)!);
    const pick = tied[spec.nth - 1];
    matches = pick ? [pick] : [];
  }
  return { matches, pool };
}

/** The innermost row, list item or card whose text names `within`. */
export function rowNamed(nodes: AccessibilityNode[], within: string): AccessibilityNode | undefined {
  const w = norm(within);
  return nodes
    .filter((n) => ROW_ROLES.has(n.role) && norm(`${n.name} ${n.text}`).includes(w))
    .sort((a, b) => b.depth - a.depth)[0];
}
