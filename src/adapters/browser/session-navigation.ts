import type { WaitUntil } from "../../ports/browser.js";
import { SessionCore } from "./session-core.js";

/** Navigation, and keeping the page off hosts the URL policy refuses wherever a step lands it. */
export abstract class NavigationSession extends SessionCore {
  async navigate(url: string, options: { waitUntil?: WaitUntil; timeoutMs?: number } = {}): Promise<void> {
    this.options.policy.check(url);
    await this.guard("navigate", () =>
      this.goto(url, options.waitUntil ?? "load", options.timeoutMs ?? this.options.timeoutMs),
    );
    await this.checkLanding("navigate");
  }

  /**
   * The URL once an action has happened. While the action's navigation is under way a driver may fail to
   * answer; the action has taken effect, so asking again beats failing (and retrying) the action.
   */
  private async urlAfterAction(): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.currentUrl();
      } catch (error) {
        if ((error as Error).name === "BrowserCrashedError" || attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    }
  }

  /** A page may redirect or script its way to a refused host; leave it at once if so. */
  protected async checkLanding(operation: string): Promise<void> {
    const refused = this.refusedNavigation;
    this.refusedNavigation = undefined;
    if (this.blocksRefusedNavigations) {
      if (refused) this.options.policy.check(refused);
      return;
    }
    const landed = await this.urlAfterAction();
    if (landed !== "about:blank" && !this.options.policy.allows(landed)) {
      await this.guard(operation, () => this.goto("about:blank", "load", this.options.timeoutMs));
      this.options.policy.check(refused ?? landed);
    }
    if (refused) this.options.policy.check(refused);
  }

  reload(options: { waitUntil?: WaitUntil } = {}) {
    return this.guard("reload", () => this.doReload(options.waitUntil ?? "load"));
  }

  async history(delta: -1 | 1, options: { waitUntil?: WaitUntil } = {}) {
    await this.guard(delta < 0 ? "back" : "forward", () =>
      this.doHistory(delta, options.waitUntil ?? "load"),
    );
    await this.checkLanding(delta < 0 ? "back" : "forward");
  }

  waitForNavigation(options: { timeoutMs?: number; waitUntil?: WaitUntil } = {}) {
    return this.guard("waitForNavigation", () =>
      this.doWaitForLoad(options.waitUntil ?? "load", options.timeoutMs ?? this.options.timeoutMs),
    );
  }

  currentUrl(): Promise<string> {
    return this.guard("currentUrl", () => this.evalExpression<string>("location.href"));
  }

  title(): Promise<string> {
    return this.guard("title", () => this.evalExpression<string>("document.title"));
  }

  pageSource(): Promise<string> {
    return this.guard("pageSource", () =>
      this.evalExpression<string>(
        "(document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '') + document.documentElement.outerHTML",
      ),
    );
  }
}
