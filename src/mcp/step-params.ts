import { z } from "zod";
import { PARAMS_BY_ACTION } from "../domain/plan/actions.js";

/**
 * Every action's params in one object, each field typed as its action declares it: what tools/list shows
 * for execute_step's `params`, so that a model sees the fields' types and not only prose. The server still
 * validates the params strictly against the one action's schema (validateStep).
 */
function mergedParams() {
  const fields: Record<string, z.ZodType> = {};
  for (const schema of Object.values(PARAMS_BY_ACTION)) {
    for (const [name, field] of Object.entries((schema as z.ZodObject).shape)) {
      fields[name] ??= (field as z.ZodType).optional();
    }
  }
  return z.object(fields);
}

export const LISTED_STEP_PARAMS = mergedParams();
