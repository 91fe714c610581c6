import type { RunDetails, StepDetails } from "./run-report/details.js";

/**
 * What a report shows of a step beyond its outcome: the element it acted on (role, name, box on the page),
 * the screenshot of the page it acted on (the last one taken before it started) and the waits it observed.
 */
export function stepEvidence(state: RunDetails, step: StepDetails) {
  const before = state.snapshots.filter(
    (snap) => snap.screenshot_hash && snap.index !== undefined && snap.index < step.index,
  );
  return {
    elements: step.located.map((l) => ({
      role: l.role,
      strategy: l.strategy,
      confidence: l.confidence,
      locator: l.locator.selector || l.locator.xpath || null,
      element_role: l.fingerprint.role,
      name: l.fingerprint.name,
      tag: l.fingerprint.tag,
      box: l.fingerprint.box,
    })),
    screenshot_before: before.at(-1)?.screenshot_hash ?? null,
    snapshot_before: before.at(-1)?.snapshot_hash ?? null,
    waits: step.waits,
  };
}
