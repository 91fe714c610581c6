import { type Browser, chromium } from "playwright-core";

/**
 * A proxy every request of a session goes through. The network gate (issue 17: a filtering proxy that
 * enforces the URL policy for both frameworks) fills it in; remote browsers take it as Playwright's
 * per-context `proxy` and as WebDriver's `proxy` capability, so sessions on a grid pass the gate too (the
 * gate must then listen on an address the grid's browsers can reach).
 */
export interface BrowserProxy {
  /** `http://host:port` or `socks5://host:port`. */
  server: string;
  /** Hosts that bypass the proxy, e.g. `["localhost", ".internal.example"]`. */
  bypass?: string[];
}

/** Where an existing Playwright-capable browser listens, instead of launching one. */
export type PlaywrightEndpoint =
  /** A Playwright browser server (`launchServer`, Browserless, Moon): ws:// or wss://. */
  | { kind: "ws"; url: string }
  /** A Chromium DevTools endpoint (`--remote-debugging-port`, Selenium Grid's /se/cdp): http(s):// or ws(s)://. */
  | { kind: "cdp"; url: string };

/** Connects to a remote browser; the connection drops (isConnected false) when the remote side goes. */
export function connectPlaywright(endpoint: PlaywrightEndpoint, timeoutMs = 30_000): Promise<Browser> {
  return (
    endpoint.kind === "ws"
      ? chromium.connect(endpoint.url, { timeout: timeoutMs })
      : chromium.connectOverCDP(endpoint.url, { timeout: timeoutMs })
  ).catch((error: Error) => {
    throw new Error(
      `cannot connect to the ${endpoint.kind === "ws" ? "Playwright browser server" : "CDP endpoint"} at ${redactUrl(endpoint.url)}: ${error.message.split("\n")[0]}`,
      { cause: error },
    );
  });
}

/** Playwright's form of a proxy setting. */
export const playwrightProxy = (proxy: BrowserProxy) => ({
  server: proxy.server,
  ...(proxy.bypass?.length ? { bypass: proxy.bypass.join(",") } : {}),
});

/** WebDriver's `proxy` capability (W3C: manual, for http and https). */
export function webdriverProxy(proxy: BrowserProxy) {
  const url = new URL(proxy.server);
  const hostPort = `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  return url.protocol.startsWith("socks")
    ? {
        proxyType: "manual" as const,
        socksProxy: hostPort,
        socksVersion: url.protocol === "socks4:" ? 4 : 5,
        noProxy: proxy.bypass,
      }
    : { proxyType: "manual" as const, httpProxy: hostPort, sslProxy: hostPort, noProxy: proxy.bypass };
}

/**
 * WebdriverIO's connection options for a WebDriver URL (a Selenium Grid 4 hub, a ChromeDriver on a port, a
 * cloud grid): its address, credentials given in the URL (`https://user:key@grid/wd/hub`) and query
 * parameters (tokens such as Browserless's `?token=`).
 */
export function webdriverConnection(url: string) {
  const u = new URL(url);
  const protocol = u.protocol.replace(":", "") as "http" | "https";
  const queryParams = Object.fromEntries(u.searchParams);
  return {
    protocol,
    hostname: u.hostname.replace(/^\[|\]$/g, ""),
    port: Number(u.port || (protocol === "https" ? 443 : 80)),
    path: u.pathname === "" ? "/" : u.pathname,
    ...(u.username ? { user: decodeURIComponent(u.username), key: decodeURIComponent(u.password) } : {}),
    ...(Object.keys(queryParams).length ? { queryParams } : {}),
  };
}

/** A URL fit for messages and logs: credentials and query (tokens) hidden. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username) u.username = "***";
    if (u.password) u.password = "***";
    if (u.search) u.search = "?***";
    return u.toString();
  } catch {
    return "<unparseable URL>";
  }
}
