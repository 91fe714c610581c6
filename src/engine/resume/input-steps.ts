import { allSteps, type TestStep } from "../../domain/plan/model.js";
import type { ElementPath } from "../../ports/browser.js";
import type { StateSnapshot } from "../../ports/page.js";
import type { RunDetails as RunState, SnapshotRef } from "../../projections/run-report/details.js";

/** Steps that leave a value in a form field, which a fresh page does not have. */
const INPUT_ACTIONS = new Set(["type", "select", "check"]);

export interface InputStep {
  index: number;
  step: TestStep;
  /** The element the step acted on, as it recorded it (ElementLocated). */
  path?: ElementPath;
}

const isInput = (step: TestStep) =>
  INPUT_ACTIONS.has(step.action) && (step.action !== "type" || step.params.text !== undefined);

/** The last snapshot recorded by a step (its passing attempt's). */
const snapshotOf = (state: RunState, index: number): SnapshotRef | undefined =>
  state.snapshots.filter((s) => s.index === index).at(-1);

/**
 * The input steps (typing, choosing, ticking) finished before step `before` that acted on the document a
 * snapshot shows, oldest first: each step's own snapshot saw that same document (performance.timeOrigin),
 * so no navigation came between. Snapshots recorded before documents were identified fall back to the
 * URL. Walks back from the latest and stops at the first that saw another document: earlier input went
 * with the page it was typed into.
 */
export async function inputStepsOnPage(
  state: RunState,
  restored: Pick<StateSnapshot, "url" | "documentLoadedAt">,
  before: number,
  load: (hash: string) => Promise<Pick<StateSnapshot, "url" | "documentLoadedAt">>,
): Promise<InputStep[]> {
  if (!state.plan) return [];
  const definitions = allSteps(state.plan);
  const done = state.steps.filter(
    (s) =>
      s.index < before &&
      (s.status === "passed" || s.status === "healed") &&
      definitions[s.index] !== undefined &&
      isInput(definitions[s.index]!.step),
  );
  const found: InputStep[] = [];
  for (const s of done.reverse()) {
    const ref = snapshotOf(state, s.index);
    if (!ref) continue; // no snapshot: nothing says where it typed; its field is restored from the page's own
    const seen = await load(ref.snapshot_hash).catch(() => undefined);
    const samePage =
      seen?.documentLoadedAt !== undefined && restored.documentLoadedAt !== undefined
        ? seen.documentLoadedAt === restored.documentLoadedAt
        : ref.url === restored.url;
    if (!samePage) break;
    found.unshift({
      index: s.index,
      step: definitions[s.index]!.step,
      path: s.located.find((l) => l.role === "target")?.locator,
    });
  }
  return found;
}

/**
 * A cheaper, log-only estimate of the same (no snapshot is read): completed input steps whose snapshots
 * show the URL of the snapshot a resume starts from, with no other URL between. A superset in practice,
 * used to ask for the secrets a resume will type before anything is recorded.
 */
export function inputStepsByUrl(state: RunState, url: string, before: number): number[] {
  if (!state.plan) return [];
  const definitions = allSteps(state.plan);
  const indices: number[] = [];
  for (const s of state.steps.filter((x) => x.index < before).reverse()) {
    const ref = snapshotOf(state, s.index);
    if (ref && ref.url !== url) break;
    const step = definitions[s.index]?.step;
    if ((s.status === "passed" || s.status === "healed") && step && isInput(step)) indices.unshift(s.index);
  }
  return indices;
}

/** The snapshot a continuing run starts from: the last one taken before its next step. */
export function snapshotBefore(state: RunState, next: number): SnapshotRef | undefined {
  return [...state.snapshots].reverse().find((s) => s.index === undefined || s.index < next);
}
