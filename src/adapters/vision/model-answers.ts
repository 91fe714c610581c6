import { z } from "zod";
import { centerOf, ELEMENT_TYPES, type ElementLocation } from "../../domain/vision/model.js";

/** What the vision models are asked to answer, in which shape, and how their answers are read. */

export const Box = z.object({
  x: z.number().min(0),
  y: z.number().min(0),
  width: z.number().positive(),
  height: z.number().positive(),
});
export const Element = z.object({
  box: Box,
  confidence: z.number().min(0).max(1),
  element_type: z.enum(ELEMENT_TYPES).catch("unknown"),
  label: z.string().default(""),
});
export const ANSWERS = {
  describe_screen: z.object({ description: z.string().min(1) }),
  find_element: z.object({ found: z.boolean(), element: Element.nullable().default(null) }),
  find_multiple_elements: z.object({ elements: z.array(Element) }),
  ocr: z.object({
    lines: z.array(z.object({ text: z.string(), box: Box, confidence: z.number().min(0).max(1) })),
  }),
  verify_visual_state: z.object({
    matches: z.boolean(),
    confidence: z.number().min(0).max(1),
    discrepancies: z.array(z.string()),
    explanation: z.string(),
  }),
  compare_screens: z.object({ changes: z.string() }),
} as const;
export type Operation = keyof typeof ANSWERS;

export const SYSTEM = `You are the vision component of TestDriver, a browser-testing tool. You look at screenshots of web
applications. Coordinates are pixels of the image as given, origin top left. Answer with JSON only, matching the
schema; never invent elements you cannot see.`;

export function toLocation(e: z.infer<typeof Element>): ElementLocation {
  const box = {
    x: Math.round(e.box.x),
    y: Math.round(e.box.y),
    width: Math.round(e.box.width),
    height: Math.round(e.box.height),
  };
  return {
    coordinates: centerOf(box),
    bounding_box: box,
    confidence: e.confidence,
    element_type: e.element_type,
    attributes: e.label ? { label: e.label } : {},
  };
}

export function parseAnswer(
  answer: string,
  schema: z.ZodType,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  // Models often wrap JSON in a code fence despite being asked not to; that much is forgiven.
  const text = answer
    .trim()
    .replace(/^```(?:json)?\s*/i, "")
    .replace(/```$/, "")
    .trim();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problem: result.error.issues.map((i) => `${i.path.join(".") || "(answer)"}: ${i.message}`).join("; "),
  };
}
