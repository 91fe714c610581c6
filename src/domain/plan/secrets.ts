/**
 * Secrets never enter the log. A typed value is either plain text, a template with `${env:NAME}`
 * references (stored as the template; resolved only when typing), or a literal marked secret (stored
 * masked; the value lives only in the memory of the process that runs it).
 */
export const MASK = "••••••••";
/** `${env:NAME}`; global, with NAME captured (split with it to alternate text and names). */
export const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

export class MissingSecretError extends Error {
  override readonly name = "MissingSecretError";
}

export function envRefs(text: string): string[] {
  return [...text.matchAll(ENV_REF)].map((m) => m[1]!);
}

/** The value to type: env references replaced from `env`; a missing variable is an error naming it. */
export function resolveText(text: string, env: Record<string, string | undefined>, where: string): string {
  return text.replace(ENV_REF, (_, name: string) => {
    const value = env[name];
    if (value === undefined)
      throw new MissingSecretError(`${where}: environment variable ${name} is not set`);
    return value;
  });
}

/** How a typed value may be recorded: env templates as they are, secret literals masked. */
export function recordableText(text: string, secret: boolean | undefined): string {
  return secret ? MASK : text;
}
