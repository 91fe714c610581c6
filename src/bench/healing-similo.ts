import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Identity } from "../domain/healing/features.js";
import type { Fingerprint } from "../domain/healing/fingerprint.js";

/** The Similo widget-locator data set (see ../shared/datasets/README.md): 48 real sites at two moments. */
type SiloElement = Record<string, string>;
interface SiloApp {
  app: string;
  targets: SiloElement[];
  candidates: SiloElement[];
  truth: { old_xpath?: string; new_xpath?: string }[];
}

export interface HealingCase {
  site: string;
  identity: Identity;
  candidates: Fingerprint[];
  /** Index of the right candidate; null when it is not on the page (a removed element). */
  truth: number | null;
}

export const DEFAULT_SIMILO_PATH = "../shared/datasets/similo2.json";

// The data set writes "0" where a text is missing.
const present = (v: string | undefined) => (v && v !== "0" ? v.trim() : "");

/** The role a browser would give the element, from the properties Similo kept (it kept no ARIA). */
export function similoRole(e: SiloElement): string {
  const tag = (e.tag ?? "").toLowerCase();
  const type = (e.type ?? "").toLowerCase();
  if (tag === "a") return e.href ? "link" : "generic";
  if (tag === "button") return "button";
  if (tag === "input") {
    if (["submit", "button", "reset", "image"].includes(type)) return "button";
    if (type === "checkbox" || type === "radio") return type;
    if (type === "search") return "searchbox";
    return "textbox";
  }
  if (tag === "select") return "combobox";
  if (tag === "textarea") return "textbox";
  if (tag === "img") return "img";
  if (/^h[1-6]$/.test(tag)) return "heading";
  if (tag === "li") return "listitem";
  if (e.is_button === "yes") return "button";
  return "generic";
}

/** Maps one of Similo's elements onto the fingerprint the engine records, the same way for old and new. */
export function similoFingerprint(e: SiloElement): Fingerprint {
  const text = present(e.text) || present(e.visible_text);
  const name =
    text ||
    present(e.alt) ||
    present(e.title) ||
    present(e.placeholder) ||
    (similoRole(e) === "button" ? present(e.value) : "");
  const attributes: Record<string, string> = {};
  for (const k of ["name", "type", "href", "title", "placeholder", "alt"]) {
    if (present(e[k])) attributes[k] = present(e[k]);
  }
  const num = (v: string | undefined) => (v && Number.isFinite(Number(v)) ? Number(v) : 0);
  return {
    tag: (e.tag ?? "").toLowerCase(),
    role: similoRole(e),
    name: name.slice(0, 200),
    text: text.slice(0, 200),
    ...(present(e.id) ? { id: present(e.id) } : {}),
    classes: present(e.class).split(/\s+/).filter(Boolean),
    attributes,
    domPath: (e.xpath ?? "")
      .split("/")
      .filter(Boolean)
      .map((p) => p.replace(/\[\d+\]$/, "").toLowerCase())
      .join(">"),
    neighbours: [
      e.neighbor_text_above,
      e.neighbor_text_below,
      e.neighbor_text_left,
      e.neighbor_text_right,
      e.neighbor_text,
    ]
      .map(present)
      .filter(Boolean)
      .map((s) => s.slice(0, 80)),
    box: { x: num(e.x), y: num(e.y), width: num(e.width), height: num(e.height) },
  };
}

/** Resolves the data set's path: an explicit one, SIMILO_PATH, or the default beside the repository. */
export function similoPath(explicit?: string): string {
  return resolve(explicit ?? process.env.SIMILO_PATH ?? DEFAULT_SIMILO_PATH);
}

/**
 * The Similo targets as healing cases. Each step is described the way a learned plan would describe it, by
 * the element's visible name at recording time (absent for nameless elements).
 */
export function loadSimilo(path: string): HealingCase[] {
  if (!existsSync(path)) {
    throw new Error(
      `the Similo data set is not at ${path}; pass --similo <path> or set SIMILO_PATH (see ../shared/datasets/README.md)`,
    );
  }
  const data = JSON.parse(readFileSync(path, "utf8")) as { apps: SiloApp[] };
  const cases: HealingCase[] = [];
  for (const app of data.apps) {
    const truth = new Map(
      app.truth.filter((t) => t.old_xpath && t.new_xpath).map((t) => [t.old_xpath!, t.new_xpath!]),
    );
    const candidates = app.candidates.map(similoFingerprint);
    const index = new Map(app.candidates.map((c, i) => [c.xpath, i]));
    for (const target of app.targets) {
      const right = index.get(truth.get(target.xpath ?? "") ?? "");
      if (right === undefined) continue;
      const fingerprint = similoFingerprint(target);
      cases.push({
        site: app.app,
        identity: { fingerprint, ...(fingerprint.name ? { description: fingerprint.name } : {}) },
        candidates,
        truth: right,
      });
    }
  }
  return cases;
}

/** The same case with its element taken off the page: a removal on a real site. */
export function withoutTruth(c: HealingCase): HealingCase {
  if (c.truth === null) return c;
  return { ...c, candidates: c.candidates.filter((_, i) => i !== c.truth), truth: null };
}
