import type { Safe } from "../ui/html.js";
import { loadShots } from "./api.js";

export type Role = "viewer" | "runner" | "admin";
const ORDER: Role[] = ["viewer", "runner", "admin"];

export interface Me {
  name: string;
  role: Role;
  auth: "keys" | "open";
}

export interface Route {
  path: string[];
  params: URLSearchParams;
}

export interface Live {
  /** Calls `listener` for each event of the log from now on; returns the unsubscribe. */
  subscribe(
    listener: (event: { streamId: string; type: string; data: Record<string, unknown> }) => void,
  ): () => void;
}

export interface Ctx {
  me: Me;
  live: Live;
  can(role: Role): boolean;
}

export type View = (main: HTMLElement, route: Route, ctx: Ctx) => Promise<undefined | (() => void)>;

export const roleAllows = (held: Role, needed: Role) => ORDER.indexOf(held) >= ORDER.indexOf(needed);

/**
 * Replaces an element's content, keeping focus on the element with the same id (or data-key) when it is
 * re-rendered, so live updates never pull the keyboard user away; then loads the screenshots it shows.
 */
export function render(el: Element, markup: Safe) {
  const active = document.activeElement as HTMLElement | null;
  const key =
    active && el.contains(active)
      ? active.id
        ? `#${CSS.escape(active.id)}`
        : active.dataset.key
          ? `[data-key="${CSS.escape(active.dataset.key)}"]`
          : undefined
      : undefined;
  el.innerHTML = markup.value;
  if (key) (el.querySelector(key) as HTMLElement | null)?.focus();
  loadShots(el);
}

/** Says something to screen readers (a live region), once. */
export function announce(text: string) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** Event delegation: `handler` for events on elements matching `selector` inside `root`. */
export function on<E extends Event>(
  root: Element,
  type: string,
  selector: string,
  handler: (event: E, target: HTMLElement) => void,
) {
  const listener = (event: Event) => {
    const target = (event.target as Element | null)?.closest(selector) as HTMLElement | null;
    if (target && root.contains(target)) handler(event as E, target);
  };
  root.addEventListener(type, listener);
  return () => root.removeEventListener(type, listener);
}

/** Calls `fn` at most once per `ms`, after the last call (live events come in bursts). */
export function debounce(fn: () => void, ms = 250) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form)) if (typeof v === "string") out[k] = v.trim();
  return out;
}

export const time = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" }) : "–";

export const hashOf = (path: string, params: Record<string, string | number | undefined | null> = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return `#${path}${s ? `?${s}` : ""}`;
};
