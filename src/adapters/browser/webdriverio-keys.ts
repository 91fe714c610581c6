import { Key } from "webdriverio";

const KEY_ALIASES: Record<string, string> = { Meta: "Command", Esc: "Escape", " ": "Space", Return: "Enter" };

/** Playwright's key notation ("Control+Shift+A") as WebDriver key values. */
export function toWebDriverKeys(keys: string): string[] {
  const parts = keys === "+" ? ["+"] : keys.split(/\+(?!$)/);
  return parts.map((part) => {
    const name = KEY_ALIASES[part] ?? part;
    const special = (Key as Record<string, string>)[name];
    if (special) return special;
    if (part.length === 1) return part;
    throw new Error(`unknown key ${JSON.stringify(part)} in ${JSON.stringify(keys)}`);
  });
}
