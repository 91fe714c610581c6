import { nextPendingStep } from "../../domain/run/state.js";
import type { BrowserSession, ElementPath } from "../../ports/browser.js";
import { fieldMatches, type StateSnapshot } from "../../ports/page.js";
import type { RunDetails as RunState } from "../../projections/run-report/details.js";
import { inputStepsOnPage, snapshotBefore } from "./input-steps.js";
import { type ReplayValues, replayInputs } from "./replay.js";

export interface RestorePageDeps extends ReplayValues {
  load(hash: string): Promise<StateSnapshot>;
  /** How long to wait for fields that the page renders after it loads (5 s). */
  fieldWaitMs?: number;
}

/** What a resume re-established on a fresh page, and what it could not. Paths and step ids only: no values. */
export interface PageRestoreReport {
  snapshot_hash: string;
  url: string;
  url_matches: boolean;
  storage_matches: boolean;
  scroll_matches: boolean;
  /** Fields set from the snapshot. */
  fields_restored: number;
  /** Changed fields the snapshot left out (passwords, secrets): the replay types them. */
  fields_omitted: number;
  /**
   * Fields that, once everything was done, do not show what the run left in them: not on the page, not
   * kept by it, or (left out of the snapshot) still empty because no input step typed them.
   */
  fields_missing: { path: ElementPath; reason: string }[];
  /** The input steps that acted on this document, by id. */
  input_steps: string[];
  replayed: string[];
  not_replayed: { step_id: string; reason: string }[];
  focus: "restored" | "lost" | "none";
  /** Whether everything recorded came back: the page is as the run left it, as far as a snapshot can tell. */
  complete: boolean;
}

/**
 * Brings a continuing run's page back in a fresh session, from the last snapshot taken before its next
 * step: cookies, URL, storage and scroll (restoreSnapshot); then what was typed, ticked and chosen; then
 * what the snapshot could not hold (passwords and secrets), typed again by replaying the input steps that
 * acted on this document; then the focus. Returns undefined when the run starts from its first step.
 */
export async function restoreRunPage(
  session: BrowserSession,
  state: RunState,
  deps: RestorePageDeps,
): Promise<PageRestoreReport | undefined> {
  const next = nextPendingStep(state);
  if (!next || next.index === 0) return undefined;
  const ref = snapshotBefore(state, next.index);
  if (!ref) return undefined;
  const snapshot = await deps.load(ref.snapshot_hash);
  const base = await session.restoreState(snapshot);
  const forms = snapshot.forms ?? { fields: [], omitted: [], focused: null };
  const fields = await session.forms.restoreFields(forms.fields, { waitMs: deps.fieldWaitMs });
  const inputs = await inputStepsOnPage(state, snapshot, next.index, deps.load);
  const needs = snapshot.forms ? [...forms.omitted, ...fields.failed].map((f) => f.path) : undefined;
  const replay = await replayInputs(session, inputs, deps, needs);
  // Typing scrolls fields into view and moves the focus: both go back to where the run left them.
  let focus: PageRestoreReport["focus"] = "none";
  if (forms.focused) focus = (await session.forms.focus(forms.focused)) ? "restored" : "lost";
  if (replay.replayed.length > 0) await session.scrollTo(snapshot.scrollPosition);
  // The check, after everything: a field the restore missed may have been typed again by the replay.
  const now = await session.forms.readFields([...forms.fields, ...forms.omitted].map((f) => f.path));
  const reasons = new Map(fields.failed.map((f) => [JSON.stringify(f.path), f.reason]));
  const missing = [
    ...forms.fields.flatMap((f, i) =>
      fieldMatches(f, now[i] ?? null)
        ? []
        : [
            {
              path: f.path,
              reason: reasons.get(JSON.stringify(f.path)) ?? "the page did not keep the value",
            },
          ],
    ),
    ...forms.omitted.flatMap((f, i) => {
      const state = now[forms.fields.length + i];
      if (!state) return [{ path: f.path, reason: `${f.reason} field not on the page` }];
      const empty = state.kind === "text" || state.kind === "password" ? state.value === "" : false;
      return empty ? [{ path: f.path, reason: `${f.reason} field left empty: no input step typed it` }] : [];
    }),
  ];
  return {
    snapshot_hash: ref.snapshot_hash,
    url: base.url,
    url_matches: base.urlMatches,
    storage_matches: base.storageMatches,
    scroll_matches: base.scrollMatches,
    fields_restored: fields.restored,
    fields_omitted: forms.omitted.length,
    fields_missing: missing,
    input_steps: inputs.map((i) => i.step.step_id),
    replayed: replay.replayed,
    not_replayed: replay.notReplayed,
    focus,
    complete:
      base.urlMatches &&
      base.storageMatches &&
      missing.length === 0 &&
      replay.notReplayed.length === 0 &&
      focus !== "lost",
  };
}
