import type {
  BrowserSession,
  ElementPath,
  FieldState,
  FormField,
  FormRestoreReport,
  FormSnapshot,
} from "../../ports/browser.js";
import { fieldMatches } from "../../ports/page.js";
import { MISSING, pageCall, pageCallIfInstalled } from "./page-script.js";

/** The page's forms now, with the library call installed if the document lacks it. */
export async function readForms(session: BrowserSession): Promise<FormSnapshot> {
  const first = await session.evaluate<FormSnapshot | typeof MISSING>(pageCallIfInstalled("td.formState()"));
  return first === MISSING ? session.evaluate<FormSnapshot>(pageCall("td.formState()")) : first;
}

/**
 * Moves fields that hold a secret (a secret step's value, an environment value a step typed) to the omitted
 * list: a snapshot is stored, and secrets never are. A value that merely contains a secret counts too.
 */
export function withoutSecrets(forms: FormSnapshot, secrets: readonly string[]): FormSnapshot {
  const present = secrets.filter((s) => s.length > 0);
  if (present.length === 0) return forms;
  const holds = (f: FormField) => {
    const values = f.kind === "text" ? [f.value] : f.kind === "select" ? f.values : [];
    return values.some((v) => present.some((s) => v.includes(s)));
  };
  return {
    fields: forms.fields.filter((f) => !holds(f)),
    omitted: [
      ...forms.omitted,
      ...forms.fields.filter(holds).map((f) => ({ path: f.path, reason: "secret" as const })),
    ],
    focused: forms.focused,
  };
}

/** The current state of fields by path; null where a path finds no field. */
export function readFields(session: BrowserSession, paths: ElementPath[]): Promise<(FieldState | null)[]> {
  if (paths.length === 0) return Promise.resolve([]);
  return session.evaluate(pageCall(`td.readFields(${JSON.stringify(paths)})`));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sets fields as a snapshot recorded them, then reads them back. A page that renders its form after loading
 * (a script fetching first) may not show a field at once: missing fields are tried again until `waitMs`.
 */
export async function restoreFields(
  session: BrowserSession,
  fields: FormField[],
  options: { waitMs?: number } = {},
): Promise<FormRestoreReport> {
  const deadline = Date.now() + (options.waitMs ?? 5000);
  let pending = fields;
  const failed: FormRestoreReport["failed"] = [];
  while (pending.length > 0) {
    const results = await session.evaluate<string[]>(pageCall(`td.setFields(${JSON.stringify(pending)})`));
    const missing = pending.filter((_, i) => results[i] === "not found");
    pending.forEach((f, i) => {
      if (results[i] && results[i] !== "not found") failed.push({ path: f.path, reason: results[i]! });
    });
    if (missing.length === 0 || Date.now() >= deadline) {
      for (const f of missing) failed.push({ path: f.path, reason: "not found on the page" });
      break;
    }
    pending = missing;
    await sleep(100);
  }
  // Read back only after all are set: a page's change handlers may reset other fields.
  const set = fields.filter((f) => !failed.some((x) => x.path === f.path));
  const now = await readFields(
    session,
    set.map((f) => f.path),
  );
  set.forEach((f, i) => {
    if (!fieldMatches(f, now[i] ?? null))
      failed.push({ path: f.path, reason: "the page did not keep the value" });
  });
  return { restored: fields.length - failed.length, failed };
}

/** Gives an element the focus; whether it has it. */
export function focusElement(session: BrowserSession, path: ElementPath): Promise<boolean> {
  return session.evaluate<boolean>(pageCall(`td.focusPath(${JSON.stringify(path)})`));
}

/** For each path, the index of the path in `among` that finds the same element now, or -1. */
export function matchPaths(
  session: BrowserSession,
  paths: ElementPath[],
  among: ElementPath[],
): Promise<number[]> {
  if (paths.length === 0 || among.length === 0) return Promise.resolve(paths.map(() => -1));
  return session.evaluate(pageCall(`td.matchPaths(${JSON.stringify(paths)}, ${JSON.stringify(among)})`));
}
