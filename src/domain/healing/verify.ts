import type { Fingerprint } from "./fingerprint.js";

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.]+/gu, " ")
    .trim();

// Too short or too generic to prove anything when a check mentions them.
const MIN_LENGTH = 3;

/**
 * What names the element a healed step meant to act on: its row's text and what the step typed (quoted in
 * its description) are strong, since they are not on the element itself; the recorded element's own name is
 * weak, since a check "I see Sign in" passes as long as any "Sign in" is on the page.
 */
export interface HealIdentity {
  strong: string[];
  name?: string;
}

export function healIdentity(recorded: Fingerprint | undefined, stepDescription: string): HealIdentity {
  const quoted = [...stepDescription.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  const usable = (s: string) => s.length >= MIN_LENGTH && !/^•+$/.test(s);
  const strong = [recorded?.context ?? "", ...quoted].map(norm).filter(usable);
  const name = norm(recorded?.name ?? "");
  return { strong, ...(usable(name) ? { name } : {}) };
}

/**
 * Whether a passing check proves the heal, i.e. would have failed had another element been used: it names
 * the intended element's row or what was typed, or it says the element's name is no longer shown. "1 item
 * left" names nothing and proves nothing; "Pay rent is no longer listed" does.
 */
export function checkNamesHeal(check: string, identity: HealIdentity): boolean {
  const text = ` ${norm(check)} `;
  const names = (phrase: string) => text.includes(` ${phrase} `);
  if (identity.strong.some(names)) return true;
  return identity.name !== undefined && /\bnot\b/.test(text) && names(identity.name);
}
