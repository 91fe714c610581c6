import { textSimilarity } from "../healing/score.js";
import { INTERACTIVE_ROLES } from "../locate/match.js";
import type { BoundingBox } from "../vision/model.js";

/** The part of a screen node the structure diff reads. */
export interface StructureNode {
  role: string;
  name: string;
  text: string;
  box: BoundingBox;
}

export interface ElementRef {
  role: string;
  name: string;
  box: BoundingBox;
  interactive: boolean;
}

export interface ElementChange {
  kind: "renamed" | "role_changed" | "moved";
  before: ElementRef;
  after: ElementRef;
  /** How far the top-left corner moved, in pixels. */
  distance: number;
}

export interface StructureDiff {
  added: ElementRef[];
  removed: ElementRef[];
  changed: ElementChange[];
  /** Interactive elements the baseline had: the denominator of "how much of the page's function is gone". */
  baselineInteractive: number;
}

// Roles a test acts on; a change to one of these can break a step. ("generic" is clickable for the matcher,
// but an unnamed div coming or going is not a change of function.)
export const INTERACTIVE = new Set([...INTERACTIVE_ROLES].filter((r) => r !== "generic"));
// Roles whose presence is page structure even though nobody clicks them.
const LANDMARKS = new Set([
  "heading",
  "img",
  "table",
  "list",
  "navigation",
  "main",
  "form",
  "dialog",
  "alert",
]);
const TEXT = new Set(["paragraph", "StaticText", "text", "listitem", "cell", "status", "label"]);

/** Elements below this many pixels of movement have not moved (sub-pixel layout, font hinting). */
export const MOVE_TOLERANCE_PX = 12;

// Containers report all their descendants' text; only their own accessible name is theirs.
const CONTAINERS = new Set(["table", "list", "navigation", "main", "form", "dialog"]);
const label = (n: StructureNode) =>
  (CONTAINERS.has(n.role) ? n.name : n.name || n.text).replace(/\s+/g, " ").trim().slice(0, 120);
// Where an element starts, not its centre: a container that grows or shrinks with its content has not moved.
const distance = (a: BoundingBox, b: BoundingBox) => Math.hypot(a.x - b.x, a.y - b.y);
function iou(a: BoundingBox, b: BoundingBox): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** The elements that carry meaning: interactive ones, landmarks, and text with something to say. */
export function significant(nodes: readonly StructureNode[]): ElementRef[] {
  return nodes
    .filter((n) => n.box.width > 0 && n.box.height > 0)
    .filter((n) => INTERACTIVE.has(n.role) || LANDMARKS.has(n.role) || (TEXT.has(n.role) && label(n)))
    .map((n) => ({ role: n.role, name: label(n), box: n.box, interactive: INTERACTIVE.has(n.role) }));
}

/**
 * Pairs the baseline's elements with the current page's: first the same role and name (the nearest such),
 * then what is left: the same role where it was, or the same role with a similar name anywhere (renamed);
 * the same name with another role where it was (role changed). What stays unpaired was removed or added.
 */
export function diffStructure(
  baseline: readonly StructureNode[],
  current: readonly StructureNode[],
): StructureDiff {
  const before = significant(baseline);
  const after = significant(current);
  const used = new Set<number>();
  const changed: ElementChange[] = [];
  const unpaired: ElementRef[] = [];

  const closest = (b: ElementRef, fits: (a: ElementRef) => boolean) => {
    let best = -1;
    let bestDistance = Number.POSITIVE_INFINITY;
    after.forEach((a, i) => {
      if (used.has(i) || !fits(a)) return;
      const d = distance(a.box, b.box);
      if (d < bestDistance) [best, bestDistance] = [i, d];
    });
    return { index: best, distance: bestDistance };
  };

  for (const b of before) {
    const same = closest(b, (a) => a.role === b.role && a.name === b.name);
    if (same.index < 0) {
      unpaired.push(b);
      continue;
    }
    used.add(same.index);
    if (same.distance > MOVE_TOLERANCE_PX)
      changed.push({ kind: "moved", before: b, after: after[same.index]!, distance: same.distance });
  }
  // What is left, paired by the first rule that fits: the same role in place, the same role with a similar
  // name anywhere (relabelled and moved), the same name in place with another role.
  const rules: [ElementChange["kind"], (a: ElementRef, b: ElementRef) => boolean][] = [
    ["renamed", (a, b) => a.role === b.role && iou(a.box, b.box) > 0.3],
    ["renamed", (a, b) => a.role === b.role && textSimilarity(a.name, b.name) >= 0.5],
    ["role_changed", (a, b) => a.name === b.name && a.name !== "" && iou(a.box, b.box) > 0.3],
  ];
  const removed: ElementRef[] = [];
  for (const b of unpaired) {
    const paired = rules.some(([kind, fits]) => {
      const match = closest(b, (a) => fits(a, b));
      if (match.index < 0) return false;
      used.add(match.index);
      changed.push({ kind, before: b, after: after[match.index]!, distance: match.distance });
      return true;
    });
    if (!paired) removed.push(b);
  }
  return {
    added: after.filter((_, i) => !used.has(i)),
    removed,
    changed,
    baselineInteractive: before.filter((b) => b.interactive).length,
  };
}
