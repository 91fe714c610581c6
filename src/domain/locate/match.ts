import { textSimilarity } from "../healing/score.js";

/** The fields of an accessibility node that matching reads. */
export interface MatchableNode {
  role: string;
  name: string;
  text: string;
  tag: string;
  attributes: Record<string, string>;
  states: { disabled?: boolean };
}

// Words in a description that name a kind of element rather than the element.
const ROLE_WORDS: Record<string, string[]> = {
  button: ["button"],
  btn: ["button"],
  link: ["link"],
  field: ["textbox", "searchbox", "combobox", "spinbutton"],
  input: ["textbox", "searchbox", "combobox", "spinbutton", "checkbox", "radio"],
  textbox: ["textbox", "searchbox"],
  box: ["textbox", "searchbox", "checkbox"],
  checkbox: ["checkbox"],
  radio: ["radio"],
  dropdown: ["combobox", "listbox"],
  select: ["combobox", "listbox"],
  list: ["list", "listbox"],
  heading: ["heading"],
  header: ["heading", "banner"],
  title: ["heading"],
  tab: ["tab"],
  menu: ["menu", "menubar", "navigation"],
  image: ["img"],
  icon: ["img", "button"],
  dialog: ["dialog"],
  option: ["option"],
  item: ["listitem", "menuitem", "option"],
};
// Only leading articles go: trailing words such as "in" belong to names like "Sign in".
const ARTICLES = new Set(["the", "a", "an"]);

export const INTERACTIVE_ROLES = new Set([
  "button",
  "link",
  "textbox",
  "searchbox",
  "combobox",
  "listbox",
  "checkbox",
  "radio",
  "switch",
  "slider",
  "spinbutton",
  "tab",
  "menuitem",
  "option",
  "generic",
]);

export interface ParsedDescription {
  name: string;
  roles: string[];
}

/** "the Sign in button" → name "Sign in", roles [button]. Quoted text is taken as the exact name. */
export function parseDescription(description: string): ParsedDescription {
  const quoted = /["“”']([^"“”']+)["“”']/.exec(description);
  const words = description.trim().split(/\s+/);
  const roles = new Set<string>();
  const kept: string[] = [];
  for (const word of words) {
    const w = word.toLowerCase().replace(/[^a-z]/g, "");
    if (ROLE_WORDS[w] && words.length > 1) for (const r of ROLE_WORDS[w]) roles.add(r);
    else kept.push(word);
  }
  while (kept.length > 1 && ARTICLES.has(kept[0]!.toLowerCase())) kept.shift();
  return { name: quoted?.[1] ?? kept.join(" "), roles: [...roles] };
}

export interface NodeMatch<N> {
  node: N;
  score: number;
}

/**
 * Ranks nodes by how well they fit a description: accessible name first, then label-like attributes and
 * text; a role the description names must fit, and for actions interactive elements win ties.
 */
export function matchNodes<N extends MatchableNode>(
  nodes: N[],
  description: string,
  options: { role?: string; interactive?: boolean } = {},
): NodeMatch<N>[] {
  const wanted = parseDescription(description);
  const roles = options.role ? [options.role] : wanted.roles;
  const target = wanted.name;
  // The description as a whole may be the name: "New item" is a field so named, not an item called "New".
  const whole = description
    .trim()
    .replace(/^(the|a|an)\s+/i, "")
    .toLowerCase();
  const scored = nodes.map((node) => {
    const fields = [
      node.name,
      node.attributes.placeholder ?? "",
      node.attributes["aria-label"] ?? "",
      node.attributes.title ?? "",
      node.attributes.alt ?? "",
      node.attributes.name ?? "",
      node.text,
    ].filter(Boolean);
    let score = 0;
    for (const field of fields) {
      const exact = field.trim().toLowerCase() === target.toLowerCase();
      score = Math.max(score, exact ? 1 : textSimilarity(target, field) * (field === node.name ? 1 : 0.9));
    }
    const namedWhole = roles.length > 0 && fields.some((f) => f.trim().toLowerCase() === whole);
    if (namedWhole) score = 1;
    else if (roles.length > 0 && !roles.includes(node.role)) score *= 0.6;
    if (options.interactive && !INTERACTIVE_ROLES.has(node.role)) score *= 0.85;
    if (node.states.disabled) score *= 0.95;
    return { node, score, namedWhole };
  });
  // On a tie, the element the whole description names is the more specific reading.
  return scored
    .filter((m) => m.score > 0)
    .sort((a, b) => b.score - a.score || Number(b.namedWhole) - Number(a.namedWhole))
    .map(({ node, score }) => ({ node, score }));
}

/**
 * Every node a target spec points at, for counting ("the list shows 3 items"): the role, when given, is a
 * hard filter; a description keeps the nodes that fit it about as well as the best one does.
 */
export function matchAll<N extends MatchableNode>(
  nodes: N[],
  spec: { role?: string; description?: string },
): N[] {
  const byRole = spec.role ? nodes.filter((n) => n.role === spec.role) : nodes;
  if (!spec.description) return byRole;
  const ranked = matchNodes(byRole, spec.description, { role: spec.role });
  const best = ranked[0]?.score ?? 0;
  return best < 0.5 ? [] : ranked.filter((m) => m.score >= best - 0.05).map((m) => m.node);
}
