import { z } from "zod";

/**
 * What a step acts on: a description ("the Sign in button"), an explicit selector, or both. A plain string
 * is a description. `role` is a hard filter. `within` and `nth` point into repeated structure: "the Delete
 * button next to Bread" is `{role: button, description: Delete, within: Bread}` (the row, list item or card
 * whose text names it), "the second Delete button" is `{..., nth: 2}`. `ref` is a short reference an
 * observation handed out ("e12"), valid on the page it was read from.
 */
export interface TargetSpec {
  description?: string;
  css?: string;
  xpath?: string;
  role?: string;
  frame?: string;
  within?: string;
  nth?: number;
  ref?: string;
}

export const TargetSpec: z.ZodType<TargetSpec, unknown> = z.union([
  z
    .string()
    .min(1)
    .transform((description): TargetSpec => ({ description })),
  z
    .object({
      description: z.string().min(1).optional(),
      css: z.string().min(1).optional(),
      xpath: z.string().min(1).optional(),
      role: z.string().min(1).optional(),
      frame: z.string().min(1).optional(),
      within: z.string().min(1).optional(),
      nth: z.number().int().min(1).max(1000).optional(),
      ref: z
        .string()
        .regex(/^[a-z]{0,3}\d{1,6}$/, "a ref from the latest observation, such as e12")
        .optional(),
    })
    .strict()
    .refine(
      (t) => t.description || t.css || t.xpath || t.role || t.ref,
      "give a description, css, xpath, role or ref",
    ),
]);
