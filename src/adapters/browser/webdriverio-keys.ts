let Key: Record<string, string> | undefined;

/**
 * WebDriver's key values, loaded with webdriverio itself when its first session starts: importing webdriverio
 * costs a few hundred milliseconds that a Playwright-only process (an MCP server, a worker) never needs.
 */
export async function loadWebDriverKeys(): Promise<void> {
  Key ??= (await import("webdriverio")).Key as Record<string, string>;
}

const KEY_ALIASES: Record<string, string> = { Meta: "Command", Esc: "Escape", " ": "Space", Return: "Enter" };

/** Playwright's key notation ("Control+Shift+A") as WebDriver key values. */
export function toWebDriverKeys(keys: string): string[] {
  const parts = keys === "+" ? ["+"] : keys.split(/\+(?!$)/);
  return parts.map((part) => {
    const name = KEY_ALIASES[part] ?? part;
    if (!Key) throw new Error("WebDriver keys are not loaded: a session starts with loadWebDriverKeys()");
    const special = Key[name];
    if (special) return special;
    if (part.length === 1) return part;
    throw new Error(`unknown key ${JSON.stringify(part)} in ${JSON.stringify(keys)}`);
  });
}
