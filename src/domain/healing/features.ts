import type { Fingerprint } from "./fingerprint.js";
import { pathSimilarity, textSimilarity } from "./score.js";

/**
 * What is known of the element to find again: the fingerprint recorded when it was last found (if any) and
 * the step's own description, which survives rewrites that change everything else.
 */
export interface Identity {
  fingerprint?: Fingerprint;
  description?: string;
}

// Roles that do the same job for a user: a link restyled as a button is still the thing one clicks.
const ROLE_CLASS: Record<string, string> = {
  link: "click",
  button: "click",
  menuitem: "click",
  tab: "click",
  textbox: "type",
  searchbox: "type",
  combobox: "type",
  spinbutton: "type",
  checkbox: "check",
  radio: "check",
  switch: "check",
  menuitemcheckbox: "check",
};
export const roleClass = (role: string) => ROLE_CLASS[role] ?? role;

// Attributes that name an element for people or for tests, compared one by one.
const NAMING_ATTRIBUTES = [
  "name",
  "type",
  "title",
  "placeholder",
  "alt",
  "aria-label",
  "aria-labelledby",
  "aria-describedby",
  "data-testid",
  "data-test",
  "data-test-id",
  "data-qa",
  "data-cy",
  "for",
];

/**
 * The path of a link or image address without host or query (what survives tracking parameters), and with
 * a hash route ("#!/pet/addPet", "#/active") kept: in a single-page app the route is the address, and
 * hashbang and plain hash routers name the same place.
 */
export function urlStem(url: string): string {
  const route = /#!?(\/[^?]*)/.exec(url)?.[1]?.replace(/(.)\/+$/, "$1") ?? "";
  const bare = url.replace(/^[a-z]+:\/\/[^/]+/i, "").replace(/[?#].*$/, "");
  return (bare.replace(/\/+$/, "") + (route ? `#${route}` : "")).toLowerCase();
}

// "#" and "javascript:…" are what a control styled as a link carries: no address, so no evidence.
const isAddress = (url: string) => !/^\s*(#!?\s*$|javascript:)/i.test(url);

// A heading renamed a little ("Pets" → "Pet") is the same landmark; another section's title is not.
const SAME_HEADING = 0.6;

/** How far the recorded element's landmark (its nearest heading) moved, if the candidate is under it too. */
function landmarkMove(recorded: Fingerprint, candidate: Fingerprint): [number, number] {
  const a = recorded.headingBox;
  const b = candidate.headingBox;
  if (!a || !b || !recorded.heading || !candidate.heading) return [0, 0];
  if (textSimilarity(recorded.heading, candidate.heading) < SAME_HEADING) return [0, 0];
  return [b.x + b.width / 2 - (a.x + a.width / 2), b.y + b.height / 2 - (a.y + a.height / 2)];
}

const norm = (s: string) => s.toLowerCase().replace(/\s+/g, " ").trim();

/** Evidence present on one side only says nothing either way: 0. Agreement is +1, disagreement −1. */
const signed = (similarity: number) => 2 * similarity - 1;

/** Words of the description found in the candidate's own words (name, text, labels). */
function descriptionSimilarity(description: string, candidate: Fingerprint): number {
  const words = candidate.attributes;
  const sources = [
    candidate.name,
    candidate.text,
    words.title ?? "",
    words.placeholder ?? "",
    words["aria-label"] ?? "",
    words.alt ?? "",
    words.value ?? "",
  ].filter(Boolean);
  return Math.max(0, ...sources.map((s) => textSimilarity(description, s)));
}

export const FEATURES = [
  "name",
  "name_exact",
  "text",
  "tag",
  "role_class",
  "role",
  "id",
  "id_exact",
  "classes",
  "href",
  "attributes",
  "path",
  "neighbours",
  "near",
  "same_column",
  "same_line",
  "position",
  "size",
  "context",
  "heading",
  "description",
  "description_in_context",
] as const;
export type FeatureName = (typeof FEATURES)[number];

/**
 * A conditional logit over the page's elements plus "none of them": each candidate's utility is a weighted
 * sum of its evidence, and the probability that it is the element is its share of exp(utility) among all
 * candidates and the "removed" alternative. That probability is the confidence a heal reports; the bench
 * measures how well it is calibrated on sites the weights never saw.
 */
export interface HealingModel {
  features: readonly string[];
  weights: number[];
  /** Utility of "the element is no longer on the page". */
  removed: number;
}

function setSimilarity(a: string[], b: string[]): number {
  const sb = new Set(b);
  const inter = a.filter((v) => sb.has(v)).length;
  const union = new Set([...a, ...b]).size;
  return union === 0 ? 1 : inter / union;
}

function neighbourSimilarity(recorded: string[], candidate: string[]): number {
  const r = recorded.filter(Boolean);
  if (r.length === 0) return 0;
  return r.reduce((sum, n) => sum + Math.max(0, ...candidate.map((c) => textSimilarity(n, c))), 0) / r.length;
}

/**
 * The evidence that a candidate is the element known by `identity`, one number per FEATURES entry, each in
 * [−1, 1] with 0 meaning "no evidence" (the recorded element lacked that property).
 */
export function featuresOf(identity: Identity, candidate: Fingerprint, viewportDiagonal = 1500): number[] {
  const f: Record<FeatureName, number> = Object.fromEntries(FEATURES.map((k) => [k, 0])) as Record<
    FeatureName,
    number
  >;
  const r = identity.fingerprint;
  if (r) {
    if (r.name) {
      f.name = signed(textSimilarity(r.name, candidate.name));
      f.name_exact = norm(r.name) === norm(candidate.name) ? 1 : -1;
    }
    if (r.text) f.text = signed(textSimilarity(r.text, candidate.text));
    f.tag = r.tag === candidate.tag ? 1 : -1;
    f.role_class = roleClass(r.role) === roleClass(candidate.role) ? 1 : -1;
    f.role = r.role === candidate.role ? 1 : -1;
    if (r.id) {
      f.id = signed(candidate.id ? textSimilarity(r.id, candidate.id) : 0);
      f.id_exact = r.id === candidate.id ? 1 : -1;
    }
    if (r.classes.length > 0) f.classes = signed(setSimilarity(r.classes, candidate.classes));
    const href = r.attributes.href ?? r.attributes.src;
    if (href && isAddress(href)) {
      const other = candidate.attributes.href ?? candidate.attributes.src ?? "";
      f.href = signed(textSimilarity(urlStem(href), urlStem(other)));
    }
    const named = NAMING_ATTRIBUTES.filter((k) => r.attributes[k]);
    if (named.length > 0) {
      f.attributes = signed(
        named.reduce((s, k) => s + textSimilarity(r.attributes[k]!, candidate.attributes[k] ?? ""), 0) /
          named.length,
      );
    }
    if (r.domPath) f.path = signed(pathSimilarity(r.domPath, candidate.domPath));
    if (r.neighbours.some(Boolean))
      f.neighbours = signed(neighbourSimilarity(r.neighbours, candidate.neighbours));
    const hasBox = r.box.width > 0 || r.box.height > 0;
    if (hasBox) {
      // Where the element is relative to its landmark when both sit under the same heading: a section that
      // moved as a whole leaves its elements where they were within it. Otherwise, relative to the page.
      const [ox, oy] = landmarkMove(r, candidate);
      const dx = r.box.x + r.box.width / 2 + ox - (candidate.box.x + candidate.box.width / 2);
      const dy = r.box.y + r.box.height / 2 + oy - (candidate.box.y + candidate.box.height / 2);
      const d = Math.hypot(dx, dy);
      f.near = signed(Math.exp(-d / 50));
      // Cards and menus shift along one axis when content is added; the other axis often holds.
      f.same_column = signed(Math.exp(-Math.abs(dx) / 20));
      f.same_line = signed(Math.exp(-Math.abs(dy) / 20));
      f.position = signed(Math.max(0, 1 - d / viewportDiagonal));
      const ra = r.box.width * r.box.height;
      const ca = candidate.box.width * candidate.box.height;
      f.size = signed(ra > 0 && ca > 0 ? Math.min(ra, ca) / Math.max(ra, ca) : 0);
    }
    if (r.context) f.context = signed(textSimilarity(r.context, candidate.context ?? ""));
    if (r.heading) f.heading = signed(textSimilarity(r.heading, candidate.heading ?? ""));
  }
  const description = identity.description?.trim();
  if (description) {
    f.description = signed(descriptionSimilarity(description, candidate));
    // "delete Pay rent": the row's text names the element when its own name ("Delete", "") cannot.
    if (candidate.context) {
      const words = description.toLowerCase().split(/\s+/);
      const ctx = candidate.context.toLowerCase();
      const inContext = words.filter((w) => w.length > 1 && ctx.includes(w)).length / words.length;
      f.description_in_context = signed(inContext);
    }
  }
  return FEATURES.map((k) => f[k]);
}
