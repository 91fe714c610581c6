import { envNamesIn } from "../engine/snapshot-secrets.js";
import type { McpContext } from "./context.js";

/** The values a step types that must never be shown back: those marked secret and `${env:NAME}` values. */
export function secretsTypedBy(params: unknown, env: Record<string, string | undefined>): string[] {
  const values = envNamesIn(params).flatMap((name) => (env[name] ? [env[name]!] : []));
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    const o = value as Record<string, unknown>;
    if (o.secret === true)
      for (const key of ["text", "value"])
        if (typeof o[key] === "string" && !/\$\{env:/.test(o[key] as string)) values.push(o[key] as string);
    for (const item of Object.values(o)) walk(item);
  };
  walk(params);
  return values.filter((v) => v.length > 0);
}

/** Remembers what a test's steps typed in secret, for every later observation of its page to mask. */
export function rememberSecrets(ctx: McpContext, runId: string, params: unknown) {
  const typed = secretsTypedBy(params, process.env);
  if (typed.length === 0 || !ctx.secrets) return;
  ctx.secrets.set(runId, [...new Set([...(ctx.secrets.get(runId) ?? []), ...typed])]);
}

export const secretsOf = (ctx: McpContext, runId: string): string[] => ctx.secrets?.get(runId) ?? [];
