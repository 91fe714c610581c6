import type { Locate } from "./flows.js";

/**
 * What a Playwright MCP agent does with the accessibility tree it read: pick the ref of an element by its
 * role and name, or, for a control without a name, the nearest element of that role around some text (the
 * row's checkbox, the cell's select). Works on a whole snapshot and on browser_find's snippets alike.
 */
interface Line {
  indent: number;
  text: string;
}

const lines = (snapshot: string): Line[] =>
  snapshot
    .split("\n")
    .filter((l) => /^\s*- /.test(l))
    .map((l) => ({ indent: l.search(/\S/), text: l.trim() }));

const refOf = (line: Line) => /\[ref=([a-z0-9]+)\]/.exec(line.text)?.[1];
const isRole = (line: Line, role: string) => line.text.startsWith(`- ${role} `) || line.text === `- ${role}`;
const quoted = (text: string) => `"${text}"`;

/** The ref of the element the locate names, or undefined when the snapshot does not show it. */
export function findRef(snapshot: string, at: Locate): string | undefined {
  const all = lines(snapshot);
  if (at.name !== undefined) {
    const exact = all.find((l) => isRole(l, at.role) && l.text.includes(quoted(at.name!)) && refOf(l));
    const texty = all.find((l) => isRole(l, at.role) && l.text.endsWith(`: ${at.name}`) && refOf(l));
    return refOf(exact ?? texty ?? { indent: 0, text: "" });
  }
  const near = at.near ?? "";
  const word = new RegExp(`(^|[\\s"])${near.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[\\s"*])`);
  const anchor = all.findIndex((l) => word.test(l.text.replace(/\[[^\]]*\]/g, "")));
  if (anchor < 0) return undefined;
  // Up from the text, one ancestor at a time: the first subtree holding an element of the role wins.
  let level = all[anchor]!.indent;
  for (let i = anchor; i >= 0; i--) {
    if (all[i]!.indent >= level && i !== anchor) continue;
    level = all[i]!.indent;
    for (let j = i + 1; j < all.length && all[j]!.indent > level; j++) {
      if (isRole(all[j]!, at.role) && refOf(all[j]!)) return refOf(all[j]!);
    }
    if (level === 0) break;
  }
  return undefined;
}

/**
 * Whether the text shows in the snapshot, as an agent reading it would judge: across the pieces the tree
 * splits a sentence into ("3" in a strong, "items left" beside it), ignoring refs and YAML syntax.
 */
export function snapshotShows(snapshot: string, text: string): boolean {
  const visible = lines(snapshot)
    .map((l) =>
      l.text
        .replace(/^- /, "")
        .replace(/\[[^\]]*\]/g, "")
        .replace(/^[a-z]+(?=[\s:"]|$)/, "")
        .replace(/["':]/g, " "),
    )
    .join(" ")
    .replace(/\s+/g, " ");
  return visible.includes(text.replace(/["':]/g, " ").replace(/\s+/g, " "));
}
