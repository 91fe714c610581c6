import { z } from "zod";

/** Where an element is, in a form any driver can act on (see the browser layer's ElementPath). */
export const ElementLocator = z.object({
  frames: z.array(z.string()),
  hosts: z.array(z.string()),
  selector: z.string(),
  xpath: z.string().optional(),
});
export type ElementLocator = z.infer<typeof ElementLocator>;

export const Box = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });

/**
 * What an element looked like when it was found, so that it can be found again after the UI changes
 * (Healenium-style): identity, content, place in the DOM and on screen, and its neighbours.
 */
export const Fingerprint = z.object({
  tag: z.string(),
  role: z.string(),
  name: z.string(),
  text: z.string(),
  id: z.string().optional(),
  classes: z.array(z.string()),
  attributes: z.record(z.string(), z.string()),
  domPath: z.string(),
  neighbours: z.array(z.string()),
  box: Box,
  /** Text of the enclosing row, list item or card: what tells one row's "Delete" from another's. */
  context: z.string().optional(),
  /** The nearest heading before the element. */
  heading: z.string().optional(),
  /** Where that heading was: the landmark the element's position is measured from when it moved with it. */
  headingBox: Box.optional(),
});
export type Fingerprint = z.infer<typeof Fingerprint>;

/** The fields of an accessibility snapshot node that a fingerprint is made of. */
export interface FingerprintSource {
  tag: string;
  role: string;
  name: string;
  text: string;
  attributes: Record<string, string>;
  domPath: string;
  box: { x: number; y: number; width: number; height: number };
}

// Values typed by a test may be secret; a fingerprint never carries them.
const IGNORED_ATTRIBUTES = new Set(["value", "class", "id"]);

export interface Surroundings {
  context?: string;
  heading?: string;
  headingBox?: { x: number; y: number; width: number; height: number };
}

export function fingerprintOf(
  node: FingerprintSource,
  neighbours: string[],
  surroundings: Surroundings = {},
): Fingerprint {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.attributes)) if (!IGNORED_ATTRIBUTES.has(k)) attributes[k] = v;
  return {
    tag: node.tag,
    role: node.role,
    name: node.name,
    text: node.role === "textbox" ? "" : node.text.slice(0, 200),
    ...(node.attributes.id ? { id: node.attributes.id } : {}),
    classes: (node.attributes.class ?? "").split(/\s+/).filter(Boolean),
    attributes,
    domPath: node.domPath,
    neighbours: neighbours.filter(Boolean).slice(0, 4),
    box: node.box,
    ...(surroundings.context ? { context: surroundings.context.slice(0, 200) } : {}),
    ...(surroundings.heading ? { heading: surroundings.heading.slice(0, 120) } : {}),
    ...(surroundings.heading && surroundings.headingBox ? { headingBox: surroundings.headingBox } : {}),
  };
}

/** A stable identity for a candidate, so a rejected heal is not proposed again for the same element. */
export function signatureOf(fp: Fingerprint): string {
  return [fp.tag, fp.role, fp.name, fp.id ?? "", fp.domPath].join("|");
}
