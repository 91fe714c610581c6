import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Fastify from "fastify";
import { FsBlobStore } from "../adapters/blobs/fs-blob-store.js";
import type { ChromiumOptions } from "../adapters/browser/chromium.js";
import { PlaywrightDriver } from "../adapters/browser/playwright.js";
import { captureSnapshot } from "../adapters/browser/snapshot.js";
import { WebdriverIODriver } from "../adapters/browser/webdriverio.js";
import type { BrowserDriver, BrowserSession } from "../ports/browser.js";
import { ratio } from "./measure.js";

/** A page of the size snapshots meet in practice: a form, a table of 100 rows, storage and cookies. */
function benchPage(): string {
  const rows = Array.from(
    { length: 100 },
    (_, i) =>
      `<tr><td>${i + 1}</td><td>Order ${1000 + i}</td><td>€${(i * 13.7).toFixed(2)}</td><td><button>View</button></td></tr>`,
  ).join("");
  return `<!doctype html><html lang="en"><head><title>Orders</title></head><body>
<header><nav aria-label="Main"><a href="#">Home</a> <a href="#">Orders</a> <a href="#">Settings</a></nav></header>
<main><h1>Orders</h1><form><label>Search <input name="q"></label><select name="s"><option>All</option><option>Open</option></select><button>Filter</button></form>
<table><thead><tr><th>#</th><th>Order</th><th>Total</th><th></th></tr></thead><tbody>${rows}</tbody></table></main>
<script>localStorage.setItem("token", "abc".repeat(50)); sessionStorage.setItem("filter", "open"); document.cookie = "sid=xyz; path=/";</script>
</body></html>`;
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { medianMs: Math.round(at(0.5) * 10) / 10, p95Ms: Math.round(at(0.95) * 10) / 10 };
}

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The same state read the straightforward way, one framework call after another. */
async function naiveCapture(session: BrowserSession) {
  const url = await session.currentUrl();
  const title = await session.title();
  const html = await session.pageSource();
  const cookies = await session.getCookies();
  const local = await session.getStorage("local");
  const sessionStorage = await session.getStorage("session");
  const viewport = await session.getViewport();
  const scroll = await session.evaluate("({ x: scrollX, y: scrollY })");
  const screenshot = await session.screenshot();
  return { url, title, html, cookies, local, sessionStorage, viewport, scroll, screenshot };
}

export async function benchSnapshot(
  chromium: ChromiumOptions,
  runs = 30,
): Promise<Record<string, unknown>[]> {
  const app = Fastify();
  app.get("/", async (_, reply) => reply.type("text/html").send(benchPage()));
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
  const blobDir = mkdtempSync(join(tmpdir(), "td-bench-blobs-"));
  const blobs = new FsBlobStore(blobDir);
  const lines: Record<string, unknown>[] = [];
  const drivers: [string, BrowserDriver][] = [
    ["playwright", new PlaywrightDriver(chromium)],
    ["webdriverio", new WebdriverIODriver(chromium)],
  ];
  try {
    for (const [name, driver] of drivers) {
      const session = await driver.newSession();
      try {
        await session.navigate(url);
        const ctx = { runId: "bench", stepId: "s" };
        const withScreenshot = stats(await time(runs, () => captureSnapshot(session, { ...ctx, blobs })));
        const withoutScreenshot = stats(await time(runs, () => captureSnapshot(session, ctx)));
        const naive = stats(await time(runs, () => naiveCapture(session)));
        lines.push({
          bench: "snapshot",
          driver: name,
          runs,
          captureMedianMs: withScreenshot.medianMs,
          captureP95Ms: withScreenshot.p95Ms,
          captureWithoutScreenshotMedianMs: withoutScreenshot.medianMs,
          peer: "the same reads as separate framework calls",
          peerMedianMs: naive.medianMs,
          captureRatioVsSequentialReads: ratio(withScreenshot.medianMs, naive.medianMs),
          targets: {
            captureMedianMs: { target: 100, met: withScreenshot.medianMs < 100 },
            specCaptureMs: { target: 500, met: withScreenshot.p95Ms < 500 },
          },
        });
      } finally {
        await session.close();
        await driver.close();
      }
    }
  } finally {
    await app.close();
    rmSync(blobDir, { recursive: true, force: true });
  }
  return lines;
}
