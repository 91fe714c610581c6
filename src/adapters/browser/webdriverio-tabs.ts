import type { DialogDesk } from "./dialog-desk.js";

/** WebDriver's windows as tabs (commands act on one current window, so reading another means visiting it), and its dialogs. */

export async function windowDetails(
  browser: WebdriverIO.Browser,
  id: string,
): Promise<{ url: string; title: string }> {
  const current = await browser.getWindowHandle();
  if (id !== current) await browser.switchToWindow(id);
  try {
    return { url: await browser.getUrl(), title: await browser.getTitle() };
  } finally {
    if (id !== current) await browser.switchToWindow(current);
  }
}

/**
 * Scripts in the page, by WebDriver BiDi in the session's first window and by classic WebDriver in the
 * others: ChromeDriver's BiDi never answers a script in a window.open() popup (seen with Chromium 156, even
 * for "1+1"), while classic execute works there.
 */
export class WindowScripts {
  private first?: string;
  private current?: string;

  constructor(private readonly browser: WebdriverIO.Browser) {}

  start(handle: string) {
    this.first = handle;
    this.current = handle;
  }

  async switchTo(handle: string) {
    await this.browser.switchToWindow(handle);
    this.current = handle;
  }

  run<T>(script: string, args: unknown[]): Promise<T> {
    if (this.current === this.first) return this.browser.execute(script, ...args) as Promise<T>;
    return this.browser.executeScript(script, args as object[]) as Promise<T>;
  }
}

export async function closeWindow(browser: WebdriverIO.Browser, id: string): Promise<void> {
  const current = await browser.getWindowHandle();
  if (id !== current) await browser.switchToWindow(id);
  await browser.closeWindow();
  // Closing the current window leaves no current one; the caller switches to the next.
  if (id !== current) await browser.switchToWindow(current);
}

/**
 * Answers the page's dialogs through WebdriverIO's dialog events (WebDriver BiDi user prompts), in
 * whichever tab they open; listening turns off WebdriverIO's own dismissing of them.
 */
export function listenForDialogs(
  browser: WebdriverIO.Browser,
  opened: (
    dialog: { type: string; message: string; defaultValue?: string },
    respond: (accept: boolean, text?: string) => Promise<void>,
  ) => Promise<void>,
): void {
  // ChromeDriver may report one dialog twice; the second report is ignored while the first is answered.
  let answering: string | undefined;
  browser.on("dialog", async (dialog) => {
    const key = `${dialog.type()}:${dialog.message()}`;
    if (answering === key) return;
    answering = key;
    try {
      await opened(
        { type: dialog.type(), message: dialog.message(), defaultValue: dialog.defaultValue() },
        (accept, text) => (accept ? dialog.accept(text) : dialog.dismiss()),
      );
    } finally {
      answering = undefined;
    }
  });
}

/**
 * ChromeDriver fails a command during which a dialog opened, though the command took effect; the dialog
 * desk answers it from the dialog event, so the command counts as done once the dialog is recorded.
 */
export async function whileAnsweringDialogs(desk: DialogDesk, fn: () => Promise<unknown>): Promise<void> {
  const before = desk.records().length;
  try {
    await fn();
  } catch (error) {
    if (!/unexpected alert open/i.test(String((error as Error)?.message))) throw error;
    const deadline = Date.now() + 5_000;
    while (desk.records().length === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    if (desk.records().length === before) throw error;
  }
}
