import type { ConsoleEntry, JsError, NetworkExchange } from "../../ports/browser.js";

const MAX_LOG_ENTRIES = 1000;

/** Appends to a list, dropping the oldest entries beyond the cap so long runs do not grow without bound. */
export function pushCapped<T>(list: T[], item: T, cap = MAX_LOG_ENTRIES) {
  list.push(item);
  if (list.length > cap) list.splice(0, list.length - cap);
}

/** What a session hears from its page: console messages, uncaught errors and network exchanges, capped. */
export class SessionRecords {
  readonly consoleEntries: ConsoleEntry[] = [];
  readonly errors: JsError[] = [];
  readonly exchanges = new Map<string, NetworkExchange>();

  console(entry: ConsoleEntry) {
    pushCapped(this.consoleEntries, entry);
  }

  error(error: JsError) {
    pushCapped(this.errors, error);
  }

  recordRequest(exchange: NetworkExchange) {
    this.exchanges.set(exchange.id, exchange);
    if (this.exchanges.size > MAX_LOG_ENTRIES) {
      for (const [id, e] of this.exchanges) {
        if (this.exchanges.size <= MAX_LOG_ENTRIES) break;
        if (e.finishedAt !== undefined) this.exchanges.delete(id);
      }
    }
  }

  finishRequest(id: string, update: Partial<NetworkExchange>) {
    const exchange = this.exchanges.get(id);
    if (!exchange || exchange.finishedAt !== undefined) return;
    const finishedAt = update.finishedAt ?? Date.now();
    Object.assign(exchange, update, { finishedAt, durationMs: finishedAt - exchange.startedAt });
  }

  pendingRequests(): string[] {
    return [...this.exchanges.values()].filter((e) => e.finishedAt === undefined).map((e) => e.url);
  }
}
