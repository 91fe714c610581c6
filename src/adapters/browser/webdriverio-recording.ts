import type { ConsoleEntry } from "../../ports/browser.js";
import type { SessionRecords } from "./session-records.js";

/** The WebDriver BiDi events a session subscribes to for its records. */
export const BIDI_EVENTS = [
  "log.entryAdded",
  "network.beforeRequestSent",
  "network.responseCompleted",
  "network.fetchError",
] as const;

type Header = { name: string; value: { type: string; value: string } };
const headers = (list: Header[] | undefined) =>
  Object.fromEntries((list ?? []).map((h) => [h.name.toLowerCase(), h.value?.value ?? ""]));

/**
 * Records console messages, page errors and network exchanges from WebDriver BiDi events; `onNavigation`
 * hears the URL of every navigation request.
 */
export function recordWebDriverBiDi(
  browser: WebdriverIO.Browser,
  records: SessionRecords,
  onNavigation: (url: string) => void,
): void {
  browser.on("log.entryAdded", (entry) => {
    const e = entry as {
      level: string;
      text: string | null;
      type: string;
      timestamp: number;
      method?: string;
    };
    if (e.type === "javascript") {
      records.error({ message: e.text ?? "", timestamp: e.timestamp });
      return;
    }
    const level = (e.method === "warning" ? "warn" : (e.method ?? e.level)) as ConsoleEntry["level"];
    records.console({
      level: ["log", "info", "warn", "error", "debug"].includes(level) ? level : "log",
      text: e.text ?? "",
      timestamp: e.timestamp,
    });
  });
  browser.on("network.beforeRequestSent", (event) => {
    const e = event as {
      request: { request: string; url: string; method: string; headers: Header[] };
      timestamp: number;
      redirectCount: number;
      navigation: string | null;
    };
    if (e.navigation) onNavigation(e.request.url);
    records.recordRequest({
      id: `${e.request.request}:${e.redirectCount}`,
      url: e.request.url,
      method: e.request.method,
      requestHeaders: headers(e.request.headers),
      startedAt: e.timestamp,
    });
  });
  browser.on("network.responseCompleted", (event) => {
    const e = event as {
      request: { request: string };
      response: { status: number; headers: Header[] };
      timestamp: number;
      redirectCount: number;
    };
    records.finishRequest(`${e.request.request}:${e.redirectCount}`, {
      status: e.response.status,
      responseHeaders: headers(e.response.headers),
      finishedAt: e.timestamp,
    });
  });
  browser.on("network.fetchError", (event) => {
    const e = event as {
      request: { request: string };
      errorText: string;
      timestamp: number;
      redirectCount: number;
    };
    records.finishRequest(`${e.request.request}:${e.redirectCount}`, {
      failure: e.errorText,
      finishedAt: e.timestamp,
    });
  });
}
