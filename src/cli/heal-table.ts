import type { HealingDetails } from "../projections/run-report/details-model.js";

/** A run's heals for people: one row each, the columns lined up; `--json` gives scripts the whole record. */

/** What became of a heal, in a few words: what the healer did, whether a check proved it, the verdict. */
export function healStatus(h: HealingDetails): string {
  const did = DID[h.decision] ?? h.decision;
  const proof =
    h.decision === "reject"
      ? ""
      : h.successful
        ? ", verified"
        : h.successful === false
          ? ", failed"
          : ", unverified";
  const verdict = h.review
    ? `; ${h.review.approved ? "approved" : "rejected"} by ${h.review.reviewer}`
    : awaitsReview(h)
      ? "; awaits review"
      : "";
  return `${did}${proof}${verdict}`;
}

const DID: Record<string, string> = {
  auto_commit: "applied",
  propose: "proposed",
  manual_review: "held",
  reject: "refused",
};

/** A heal a person has yet to judge: one the healer acted on or held, with no verdict yet. */
export const awaitsReview = (h: HealingDetails) => !h.review && h.decision !== "reject";

/** The start of a heal's id that the table shows and `heals review` accepts. */
export const shortId = (id: string) => id.slice(0, 8);

export function healTable(heals: readonly HealingDetails[]): string {
  if (heals.length === 0) return "no heals\n";
  const rows = [
    ["HEAL", "STEP", "LOCATOR (OLD → NEW)", "CONFIDENCE", "STATUS"],
    ...heals.map((h) => [
      shortId(h.healing_id),
      h.step_id,
      `${h.old_locator?.selector ?? "?"} → ${h.new_locator.selector}`,
      h.confidence.toFixed(2),
      healStatus(h),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ")).join("\n")}\n`;
}
