import { percent } from "./html.js";

/**
 * How sure a finding is, in words. The bands follow the healing thresholds (0.90 acts alone, 0.80 acts and
 * asks, 0.70 asks), so "medium" always means a person is asked.
 */
export function confidenceWord(confidence: number): string {
  if (confidence >= 0.97) return "very high";
  if (confidence >= 0.9) return "high";
  if (confidence >= 0.8) return "medium";
  if (confidence >= 0.7) return "low";
  return "very low";
}

/** "86 % (medium)" */
export const confidenceLabel = (confidence: number) =>
  `${percent(confidence)} (${confidenceWord(confidence)})`;

export interface FoundBy {
  strategy: "explicit" | "learned" | "accessibility" | "vision";
  confidence: number;
  /** The element's accessible name, when it has one. */
  name?: string;
  /** Whether the locator was healed in this step. */
  healed?: boolean;
  method?: string;
}

/** How an element was found, for people: "found by name "Sign in", 97 % (very high)". */
export function foundWords(f: FoundBy): string {
  const how = f.healed
    ? f.method === "semantic_search"
      ? "healed: found by its description"
      : "healed: found by resemblance to the element recorded before"
    : f.strategy === "explicit"
      ? "found by the plan's selector"
      : f.strategy === "learned"
        ? "found by the locator learned in an earlier run"
        : f.strategy === "vision"
          ? "found by the vision model"
          : f.name
            ? `found by name "${f.name}"`
            : "found by role";
  return `${how}, ${confidenceLabel(f.confidence)}`;
}

/** The same, short, for a list: "by name, 97 %", "healed, 86 %", "by selector". */
export function foundShort(f: FoundBy): string {
  if (f.healed) return `healed, ${percent(f.confidence)}`;
  if (f.strategy === "explicit") return "by the plan's selector";
  if (f.strategy === "learned") return `by the learned locator, ${percent(f.confidence)}`;
  if (f.strategy === "vision") return `by the vision model, ${percent(f.confidence)}`;
  return `by name, ${percent(f.confidence)}`;
}

/** A heal decision in words, with what it means for the learned locator. */
export function decisionWords(decision: string): string {
  switch (decision) {
    case "auto_commit":
      return "committed automatically: learned when the run ends";
    case "propose":
      return "proposed: used in this run, learned only once a person approves it";
    case "manual_review":
      return "held for review: not acted on until a person approves it";
    default:
      return "rejected: too unlike the recorded element";
  }
}

/** The learned healing model's features (src/domain/healing/features.ts), in a reviewer's words. */
export const HEAL_FEATURES: Record<string, string> = {
  name: "accessible name (alike)",
  name_exact: "accessible name (identical)",
  text: "visible text",
  tag: "tag",
  role_class: "kind of control (click, type, check)",
  role: "role",
  id: "id (alike)",
  id_exact: "id (identical)",
  classes: "classes",
  href: "link or image address",
  attributes: "naming attributes (title, placeholder, aria-*, test ids)",
  path: "place in the page (DOM path)",
  neighbours: "neighbouring text",
  near: "distance on screen",
  same_column: "same column on screen",
  same_line: "same line on screen",
  position: "position on screen",
  size: "size on screen",
  context: "text of its row or card",
  heading: "nearest heading",
  description: "the step's description against the element's words",
  description_in_context: "the step's description against its row's text",
};

/** How a piece of evidence reads: how far the two sides agreed, and which way it moved the heal. */
export function evidenceWords(evidence: number, contribution: number): string {
  const agreement =
    evidence >= 0.8
      ? "agrees"
      : evidence > 0
        ? "partly agrees"
        : evidence > -0.8
          ? "mostly differs"
          : "differs";
  return `${agreement}, ${contribution >= 0 ? "for" : "against"} this element`;
}
