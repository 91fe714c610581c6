import type { DialogAnswer, DialogRecord, TabInfo, TabMatch } from "../../ports/browser.js";
import { DialogDesk } from "./dialog-desk.js";
import { NavigationSession } from "./session-navigation.js";

/** Tabs (popups included) and the page's JavaScript dialogs, over the adapter's tab primitives. */
export abstract class TabSession extends NavigationSession {
  protected readonly dialogDesk = new DialogDesk();
  /** Tabs in the order they were used, the current last: closing one returns to the one before. */
  private visited: string[] = [];

  /** Ids of the open tabs, in the order they opened. */
  protected abstract tabIds(): Promise<string[]>;
  protected abstract currentTabId(): Promise<string>;
  protected abstract tabDetails(id: string): Promise<{ url: string; title: string }>;
  protected abstract activateTab(id: string): Promise<void>;
  protected abstract doCloseTab(id: string): Promise<void>;

  private async listTabs(): Promise<(TabInfo & { id: string })[]> {
    const ids = await this.tabIds();
    const current = await this.currentTabId();
    const tabs = [];
    for (const [index, id] of ids.entries())
      tabs.push({ id, index, ...(await this.tabDetails(id)), current: id === current });
    return tabs;
  }

  async tabs(): Promise<TabInfo[]> {
    return (await this.guard("tabs", () => this.listTabs())).map(({ id: _, ...tab }) => tab);
  }

  async switchTab(match: TabMatch, options: { timeoutMs?: number } = {}): Promise<TabInfo> {
    const deadline = Date.now() + (options.timeoutMs ?? this.options.timeoutMs);
    for (;;) {
      const tabs = await this.guard("switchTab", () => this.listTabs());
      const found = tabs.find(
        (t) =>
          (match.index === undefined || t.index === match.index) &&
          (match.urlContains === undefined || t.url.includes(match.urlContains)) &&
          (match.titleContains === undefined ||
            t.title.toLowerCase().includes(match.titleContains.toLowerCase())),
      );
      if (found) {
        await this.enter(found.id, tabs[tabs.findIndex((t) => t.current)]?.id);
        return { index: found.index, url: found.url, title: found.title, current: true };
      }
      // A popup opens a moment after the click that asked for it.
      if (Date.now() >= deadline)
        throw new Error(
          `no tab matches ${JSON.stringify(match)}; open tabs: ${tabs.map((t) => `${t.index}: ${t.title || t.url}`).join(", ")}`,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async closeTab(index?: number): Promise<TabInfo> {
    const tabs = await this.guard("closeTab", () => this.listTabs());
    const current = tabs.find((t) => t.current);
    const closing = index === undefined ? current : tabs[index];
    if (!closing) throw new Error(`there is no tab ${index}; ${tabs.length} are open`);
    if (tabs.length === 1) throw new Error("the last tab cannot be closed; the session would end");
    await this.guard("closeTab", () => this.doCloseTab(closing.id));
    this.visited = this.visited.filter((id) => id !== closing.id);
    const rest = tabs.filter((t) => t.id !== closing.id);
    const next = closing.id === current?.id ? (this.visited.at(-1) ?? rest.at(-1)!.id) : current!.id;
    await this.enter(next, undefined);
    const landed = (await this.tabs()).find((t) => t.current)!;
    return landed;
  }

  private async enter(id: string, from: string | undefined) {
    if (from && this.visited.at(-1) !== from) this.visited.push(from);
    await this.guard("switchTab", () => this.activateTab(id));
    this.visited = [...this.visited.filter((v) => v !== id), id];
    // Refs name elements of the page they were handed out on.
    this.refs = new Map();
  }

  answerDialog(answer: DialogAnswer): DialogRecord | undefined {
    return this.dialogDesk.arm(answer);
  }

  dialogs(): DialogRecord[] {
    return this.dialogDesk.records();
  }
}
