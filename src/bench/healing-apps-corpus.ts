/**
 * The real-upgrade healing corpus: the same application in an old and a new major release, both taken from
 * its registry package, "a plan learned on the old release and run on the new one". Plain data, checked by
 * hand against each release's markup and against the page at capture time (the capture refuses a truth
 * that does not resolve to exactly one element). The apps themselves are not in the repository: the
 * capture script (healing-apps-capture.ts) reads them from a scratch folder and writes what Chromium showed
 * to src/bench/data/, which the bench scores.
 */

/** Where an element is on one release: a CSS selector, narrowed by its text and by the row it sits in. */
export interface Where {
  css: string;
  /** The element's whitespace-collapsed text must equal this. */
  text?: string;
  /** The closest ancestor matching `css` must have text starting with `text` (whitespace removed). */
  within?: { css: string; text: string };
}

export interface AppTarget {
  /** The step's description, as a plan learned on the old release carries it. */
  description: string;
  /** A role the step names (a hard filter in the engine), when it names one. */
  role?: string;
  /** Which view of the page the element is on (see AppPair.views). */
  view: string;
  old: Where;
  /** The element it became on the new release; null when the new release has no such element. */
  now: Where | null;
  /** Why the truth is what it is, where it is not obvious. */
  note?: string;
}

/** A state of the page, reached from the loaded page by clicking these elements in turn. */
export interface View {
  old: string[];
  now: string[];
}

export interface AppPair {
  app: string;
  /** The registry package and the two releases compared. */
  pkg: string;
  from: string;
  to: string;
  /** The page served, relative to the release's folder in the scratch directory. */
  page: { old: string; now: string };
  views: Record<string, View>;
  targets: AppTarget[];
  /** "development": its misses may be studied to improve features; "held-out": measured, never tuned on. */
  use: "development" | "held-out";
}

/** A truth's description as the bench prints it. */
export const pairName = (p: AppPair) => `${p.app} ${p.from}->${p.to}`;
