import { MASK, resolveText } from "../../domain/plan/secrets.js";
import { resolveData } from "../../domain/plan/test-data.js";
import type { BrowserSession, ElementPath } from "../../ports/browser.js";
import type { FieldState } from "../../ports/page.js";
import type { InputStep } from "./input-steps.js";

/** Where the values a replay types come from: never the log, which holds secrets masked or as templates. */
export interface ReplayValues {
  env: Record<string, string | undefined>;
  /** Secret steps' values, by step id. */
  secrets: ReadonlyMap<string, string>;
  /** The seed of generated data (`${data:...}`): the run's, so a replay types what the step typed. */
  dataSeed: string;
}

export interface ReplayReport {
  /** Steps whose field did not show their value after the restore, typed (chosen, ticked) again. */
  replayed: string[];
  /** Steps whose field already showed it. */
  kept: string[];
  notReplayed: { step_id: string; reason: string }[];
}

type Want =
  | { kind: "text"; value: string; keystrokes: boolean }
  | { kind: "select"; values: string[] }
  | { kind: "check"; checked: boolean };

/** What a step left in its field; a reason instead when that cannot be known or given. */
function wanted(input: InputStep, values: ReplayValues): Want | string {
  const { step } = input;
  const params = step.params as Record<string, unknown>;
  if (step.action === "select") return { kind: "select", values: params.values as string[] };
  if (step.action === "check") return { kind: "check", checked: params.checked !== false };
  if (params.clear === false) return "it typed without clearing the field, so its value is the page's own";
  if (params.secret) {
    const secret = values.secrets.get(step.step_id);
    return secret === undefined
      ? `its secret value was not supplied (give secrets.${step.step_id})`
      : { kind: "text", value: secret, keystrokes: params.keystrokes === true };
  }
  try {
    const text = resolveData(
      resolveText(String(params.text), values.env, `step ${step.step_id}`),
      values.dataSeed,
      step.step_id,
    );
    return { kind: "text", value: text, keystrokes: params.keystrokes === true };
  } catch (error) {
    return (error as Error).message;
  }
}

function shows(want: Want, state: FieldState | null): boolean {
  if (!state) return false;
  if (want.kind === "check") return state.kind === "check" && state.checked === want.checked;
  if (want.kind === "select") {
    if (state.kind !== "select" || state.values.length !== want.values.length) return false;
    return want.values.every((v) => state.values.includes(v) || (state.labels ?? []).includes(v));
  }
  return (state.kind === "text" || state.kind === "password") && state.value === want.value;
}

async function act(session: BrowserSession, path: ElementPath, want: Want): Promise<void> {
  const target = { path };
  if (want.kind === "text")
    await session.type(target, want.value, { clear: true, keystrokes: want.keystrokes });
  else if (want.kind === "select") await session.select(target, want.values);
  else await session.click(target);
}

/**
 * Re-establishes what a snapshot could not: the fields in `needs` (passwords and secrets it left out,
 * fields whose restore failed) get the value of the last input step that wrote them, typed (chosen,
 * ticked) again. Where the snapshot holds a field's value, that value stands, even if a step typed
 * another: the page may have consumed what was typed since (a list's input cleared once the item was
 * added). Only fields are touched, never keys pressed or buttons clicked. Without `needs` (a snapshot from
 * before forms were recorded), every field an input step wrote and that does not show its value is
 * typed again, except where the step pressed a key after typing.
 */
export async function replayInputs(
  session: BrowserSession,
  inputs: InputStep[],
  values: ReplayValues,
  needs?: ElementPath[],
): Promise<ReplayReport> {
  const report: ReplayReport = { replayed: [], kept: [], notReplayed: [] };
  const located = inputs.filter((i): i is InputStep & { path: ElementPath } => {
    if (!i.path) report.notReplayed.push({ step_id: i.step.step_id, reason: "it recorded no element" });
    return i.path !== undefined;
  });
  // Which needed field each step wrote (the step's selector and the snapshot's path may differ in form).
  const field = needs
    ? await session.forms.matchPaths(
        located.map((i) => i.path),
        needs,
      )
    : located.map((i) =>
        i.step.action === "type" && i.step.params.key !== undefined ? -1 : JSON.stringify(i.path),
      );
  const last = new Map<number | string, { input: InputStep; path: ElementPath; want: Want }>();
  located.forEach((input, i) => {
    const key = field[i]!;
    if (key === -1) return;
    const want = wanted(input, values);
    if (typeof want === "string") {
      last.delete(key);
      report.notReplayed.push({ step_id: input.step.step_id, reason: want });
    } else last.set(key, { input, path: input.path, want });
  });
  const todo = [...last.values()];
  const before = await session.forms.readFields(todo.map((t) => t.path));
  const acted: typeof todo = [];
  for (const [i, t] of todo.entries()) {
    const id = t.input.step.step_id;
    if (!before[i]) report.notReplayed.push({ step_id: id, reason: "its field is not on the page" });
    else if (shows(t.want, before[i]!)) report.kept.push(id);
    else {
      try {
        await act(session, t.path, t.want);
        acted.push(t);
      } catch (error) {
        if ((error as Error).name === "BrowserCrashedError") throw error;
        // A driver's message may quote what it was asked to type.
        const line = (error as Error).message.split("\n")[0]!;
        const reason = t.want.kind === "text" && t.want.value ? line.split(t.want.value).join(MASK) : line;
        report.notReplayed.push({ step_id: id, reason });
      }
    }
  }
  const after = await session.forms.readFields(acted.map((t) => t.path));
  acted.forEach((t, i) => {
    if (shows(t.want, after[i] ?? null)) report.replayed.push(t.input.step.step_id);
    else
      report.notReplayed.push({ step_id: t.input.step.step_id, reason: "the page did not keep the value" });
  });
  return report;
}
