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

/**
 * `text` with every secret value in it replaced by the mask: a sentence such as "Fill in Password with
 * s3cret" must not carry the value into an event, a report or a log line.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (!secret || secret === MASK) continue;
    const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "gu"), MASK);
  }
  return out;
}

/** The secret literals a plan's steps type (secret text, secret form fields), templates excepted. */
export function secretValues(
  steps: readonly { action: string; params: Record<string, unknown> }[],
): string[] {
  const out: string[] = [];
  for (const s of steps) {
    if (s.action === "type" && s.params.secret && typeof s.params.text === "string") out.push(s.params.text);
    if (s.action === "fill_form")
      for (const f of (s.params.fields as { value: unknown; secret?: boolean }[]) ?? [])
        if (f.secret && typeof f.value === "string") out.push(f.value);
  }
  return out.filter((v) => v !== MASK && envRefs(v).length === 0 && v.length > 0);
}
