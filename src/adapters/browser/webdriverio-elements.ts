import type { ElementPath } from "../../ports/browser.js";

type WdioElement = WebdriverIO.Element;

/** Finds the element of a path, switching into its frames; switch back to the top frame when done. */
export async function findElement(browser: WebdriverIO.Browser, path: ElementPath): Promise<WdioElement> {
  for (const frame of path.frames) {
    const [first, ...rest] = frame.split(" >>> ");
    let frameElement = await browser.$(first!);
    for (const part of rest) frameElement = await frameElement.shadow$(part);
    await browser.switchFrame(frameElement);
  }
  if (path.hosts.length === 0) return browser.$(path.xpath ?? path.selector).getElement();
  let element = await browser.$(path.hosts[0]!);
  for (const host of path.hosts.slice(1)) element = await element.shadow$(host);
  return element.shadow$(path.xpath ?? path.selector).getElement();
}

/** Runs `fn` on the element of a path, finding it again if the page replaced it, and leaves its frames. */
export async function withElement<T>(
  browser: WebdriverIO.Browser,
  path: ElementPath,
  fn: (el: WdioElement) => Promise<T>,
): Promise<T> {
  try {
    try {
      return await fn(await findElement(browser, path));
    } catch (error) {
      // A page that re-renders replaces the node between finding and acting; the path finds the new one.
      if (!/stale element/i.test(String((error as Error)?.message))) throw error;
      if (path.frames.length > 0) await browser.switchFrame(null);
      return await fn(await findElement(browser, path));
    }
  } finally {
    if (path.frames.length > 0) await browser.switchFrame(null);
  }
}
