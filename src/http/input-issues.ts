import type { z } from "zod";

/**
 * A validation issue in words a caller can act on. zod says of a missing field "expected string, received
 * undefined"; a person needs to hear that the field is required and what to put there, which is the
 * field's own description in the schema (the one the OpenAPI document shows).
 */
export function issueMessage(schema: z.ZodType, input: unknown, issue: z.core.$ZodIssue): string {
  if (!ABSENT_CODES.has(issue.code) || issue.path.length === 0 || valueAt(input, issue.path) !== undefined)
    return issue.message;
  const description = describedAt(schema, issue.path);
  return description ? `required — ${description}` : "required";
}

/** The codes zod gives an absent field: of a type, of an enum or literal, of a union. A refinement keeps its words. */
const ABSENT_CODES = new Set<string>(["invalid_type", "invalid_value", "invalid_union"]);

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The description of the field at `path`, looking through the wrappers zod puts around a field. */
function describedAt(schema: z.ZodType, path: PropertyKey[]): string | undefined {
  let at: z.ZodType | undefined = schema;
  for (const key of path) {
    const shape = objectShape(at);
    at = shape?.[key as string];
    if (!at) return undefined;
  }
  return at.description ?? inner(at)?.description;
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  let at = schema;
  for (let depth = 0; at && depth < 8; depth++) {
    const shape = (at as { shape?: Record<string, z.ZodType> }).shape;
    if (shape) return shape;
    at = inner(at);
  }
  return undefined;
}

/** The schema a wrapper (optional, default, nullable, pipe) holds. */
function inner(schema: z.ZodType): z.ZodType | undefined {
  const def = schema.def as { innerType?: z.ZodType; in?: z.ZodType };
  return def.innerType ?? def.in;
}
