import { z } from "zod";

/**
 * One setting: where it lives in testdriver.config.yaml, its environment variable, its schema and
 * what it is for. The loader, `testdriver config` and the README's reference are all made from this table.
 */
export interface Setting {
  path: readonly string[];
  env: string;
  schema: z.ZodType;
  description: string;
  /** What a valid value looks like, for error messages and the reference. */
  allowed: string;
  /** The default as a person would write it, where the parsed form reads badly. */
  defaultText?: string;
  secret?: boolean;
}

export const bool = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1"),
]);
export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A comma-separated list of hosts in the environment, or a list in the file. */
export const hostList = z.union([
  z.array(z.string()),
  z.string().transform((v) =>
    v
      .split(",")
      .map((h) => h.trim())
      .filter(Boolean),
  ),
]);
