import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Flags for Debian's Chromium on these machines: headless, and nothing that reaches out to the network. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-default-apps",
  "--disable-extensions",
  "--no-first-run",
  "--no-default-browser-check",
  "--disable-quic",
  "--mute-audio",
];

/**
 * Flags that put a Chromium behind the network gate. Chromium sends loopback straight out even with a proxy
 * set; `<-loopback>` takes that exception away, so requests to 127.0.0.1 and localhost pass the gate too.
 */
export function gateArgs(proxyServer: string): string[] {
  return [`--proxy-server=${proxyServer}`, "--proxy-bypass-list=<-loopback>"];
}

export interface ChromiumOptions {
  executablePath: string;
  chromedriverPath: string;
  headless: boolean;
}

export const DEFAULT_CHROMIUM: ChromiumOptions = {
  executablePath: "/usr/bin/chromium",
  chromedriverPath: "/usr/bin/chromedriver",
  headless: true,
};

/** A fresh profile directory per browser process, removed when it closes. */
export function tempProfile(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "td-chromium-"));
  return {
    dir,
    // Best effort: a browser still shutting down may write into it; a leftover temp dir is harmless.
    remove: () => {
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        // Left for the system's temp cleaning.
      }
    },
  };
}
