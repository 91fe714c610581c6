import type { Page } from "playwright-core";
import type { ConsoleEntry } from "../../ports/browser.js";
import type { SessionRecords } from "./session-records.js";

const LEVELS: Record<string, ConsoleEntry["level"]> = {
  log: "log",
  info: "info",
  warning: "warn",
  warn: "warn",
  error: "error",
  debug: "debug",
};

/** Records a page's console messages, uncaught errors and network exchanges as Playwright reports them. */
export function recordPlaywrightPage(page: Page, records: SessionRecords): void {
  const requestIds = new WeakMap<object, string>();
  let nextId = 0;
  page.on("console", (msg) =>
    records.console({
      level: LEVELS[msg.type()] ?? "log",
      text: msg.text(),
      timestamp: Date.now(),
      source: msg.location().url || undefined,
    }),
  );
  page.on("pageerror", (error) =>
    records.error({ message: error.message, stack: error.stack, timestamp: Date.now() }),
  );
  page.on("request", (request) => {
    const id = `pw-${++nextId}`;
    requestIds.set(request, id);
    records.recordRequest({
      id,
      url: request.url(),
      method: request.method(),
      resourceType: request.resourceType(),
      requestHeaders: request.headers(),
      startedAt: Date.now(),
    });
  });
  page.on("response", (response) => {
    const id = requestIds.get(response.request());
    const exchange = id ? records.exchanges.get(id) : undefined;
    if (exchange) {
      exchange.status = response.status();
      exchange.responseHeaders = response.headers();
    }
  });
  page.on("requestfinished", async (request) => {
    const id = requestIds.get(request);
    if (!id) return;
    // JSON answers to the page's own API calls, for API assertions; read before the request counts as done.
    const type = request.resourceType();
    if (type === "fetch" || type === "xhr") {
      const response = await request.response().catch(() => null);
      const exchange = records.exchanges.get(id);
      if (response && exchange && /json/i.test(response.headers()["content-type"] ?? "")) {
        const body = await response.text().catch(() => undefined);
        if (body !== undefined) exchange.responseBody = body.slice(0, 256 * 1024);
      }
    }
    records.finishRequest(id, {});
  });
  page.on("requestfailed", (request) => {
    const id = requestIds.get(request);
    if (id) records.finishRequest(id, { failure: request.failure()?.errorText ?? "failed" });
  });
}
