/** The data the console's views and the static report render; built on the server (src/projections). */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A screenshot and the size of the page it shows, in CSS pixels: the space element boxes are given in. */
export interface Shot {
  hash: string;
  width: number;
  height: number;
  /** Where the console fetches it (the API's artifact route); the report inlines it instead. */
  url?: string;
}

export interface TimelineElement {
  role: string;
  element_role: string;
  name: string;
  tag: string;
  box: Box;
  strategy: "explicit" | "learned" | "accessibility" | "vision";
  locator: string | null;
  confidence: number;
  /** "found by name "Sign in", 97 % (very high)" */
  words: string;
  /** "by name, 97 %" */
  short: string;
}

export interface TimelineHeal {
  healing_id: string;
  decision: string;
  decision_words: string;
  confidence: number;
  confidence_words: string;
  method: string;
  old_locator: string | null;
  new_locator: string;
  successful: boolean | null;
  review: { approved: boolean; reviewer: string; note?: string; at: string } | null;
}

export interface Finding {
  kind: "accessibility" | "security" | "performance" | "drift";
  severity: string;
  title: string;
  detail: string;
}

export interface TimelineStep {
  index: number;
  step_id: string;
  phase: string;
  action: string;
  description: string;
  status: string;
  attempts: number;
  duration_ms: number | null;
  error: string | null;
  detail: string | null;
  elements: TimelineElement[];
  heal: TimelineHeal | null;
  /** The page the step acted on, where its elements are outlined. */
  before: Shot | null;
  /** The page after the step. */
  after: Shot | null;
  waits: { wait: string; duration_ms: number; success: boolean }[];
  /** Console messages and network exchanges that appeared during the step. */
  console: { level: string; text: string }[];
  network: { method: string; url: string; status?: number; failure?: string; duration_ms?: number }[];
  findings: Finding[];
}

export interface RunTimeline {
  run_id: string | null;
  status: string;
  steps: TimelineStep[];
}
