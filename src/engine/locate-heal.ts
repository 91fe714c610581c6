import { roleClass } from "../domain/healing/features.js";
import { type Fingerprint, signatureOf } from "../domain/healing/fingerprint.js";
import { rankWithModel } from "../domain/healing/model.js";
import { textSimilarity } from "../domain/healing/score.js";
import type { TargetSpec } from "../domain/plan/model.js";
import type { AccessibilityNode } from "../ports/browser.js";
import { fingerprintsOf } from "./locate-nodes.js";

export interface HealChoice {
  node: AccessibilityNode;
  fingerprint: Fingerprint;
  /** Calibrated probability that this is the element. */
  confidence: number;
  method: "dom_fingerprint" | "semantic_search";
  candidates: number;
  /** Why the heal must not be acted on whatever its confidence (a look-alike in another row). */
  veto?: string;
}

// Below this the row's text is another row's: "Pay rent" and "Buy oat milk" share almost no bigrams.
const SAME_ROW = 0.6;

/**
 * Picks the page's best stand-in for an element whose locator broke, using all that is known of it: the
 * recorded fingerprint (row and heading included) and the step's description, weighed by the fitted model.
 * A `role` in the target is a hard filter. The row's own text is part of the element's identity: while the
 * recorded row is on the page only its elements are weighed, and a candidate inside another row (one whose
 * text differs from the recorded row's) is vetoed, however alike the two elements are.
 */
export function chooseHeal(
  nodes: AccessibilityNode[],
  spec: TargetSpec,
  recorded: Fingerprint | undefined,
  isRejected: (signature: string) => boolean,
  viewportDiagonal: number,
): HealChoice | undefined {
  const fingerprints = fingerprintsOf(nodes);
  const candidates = nodes
    .map((node, i) => ({ candidate: node, fingerprint: fingerprints[i]! }))
    .filter((c) => !isRejected(signatureOf(c.fingerprint)))
    .filter((c) => !spec.role || roleClass(c.candidate.role) === roleClass(spec.role));
  if (candidates.length === 0) return undefined;
  // The row's text is part of the identity: when the recorded row is still on the page, only its elements
  // are weighed, so that other rows' look-alikes neither win nor take a share of the probability. When it
  // is gone, every element is weighed and the best one is vetoed below.
  // A "row" holding one element on the page (a menu entry's own list item) is that element's wrapper, not
  // a row of controls: restricting the choice to it would leave "this or nothing" and drown the evidence
  // that the element looks like others. Only a row of two or more elements narrows the choice.
  const inRecordedRow = (fp: Fingerprint) =>
    !!recorded?.context && textSimilarity(recorded.context, fp.context ?? "") >= SAME_ROW;
  const rowSize = fingerprints.filter(inRecordedRow).length;
  const sameRow = rowSize >= 2 ? candidates.filter((c) => inRecordedRow(c.fingerprint)) : [];
  const weighed = sameRow.length > 0 ? sameRow : candidates;
  const { ranked } = rankWithModel(
    {
      ...(recorded ? { fingerprint: recorded } : {}),
      ...(spec.description ? { description: spec.description } : {}),
    },
    weighed,
    viewportDiagonal,
  );
  const top = ranked[0];
  if (!top) return undefined;
  const choice: HealChoice = {
    node: top.candidate,
    fingerprint: top.fingerprint,
    confidence: top.probability,
    method: recorded ? "dom_fingerprint" : "semantic_search",
    candidates: weighed.length,
  };
  // Only another row's element is a look-alike to refuse: one in no row at all (a release that dropped the
  // list markup) is weighed on its evidence like any other element.
  const here = top.fingerprint.context;
  if (recorded?.context && here) {
    if (textSimilarity(recorded.context, here) < SAME_ROW) {
      choice.veto = `it sits in another row ("${here.slice(0, 60)}") than the recorded one ("${recorded.context.slice(0, 60)}")`;
    }
  }
  return choice;
}
