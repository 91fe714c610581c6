import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DEFAULT_CHROMIUM } from "../adapters/browser/chromium.js";
import { PlaywrightDriver } from "../adapters/browser/playwright.js";
import type { Fingerprint } from "../domain/healing/fingerprint.js";
import { fingerprintsOf } from "../engine/locate-nodes.js";
import type { AccessibilityNode, BrowserSession } from "../ports/browser.js";
import type { AppPair, Where } from "./healing-apps-corpus.js";
import { APP_PAIRS, type CapturedPair, compactNode, corpusFile } from "./healing-apps-data.js";
import { serveStatic } from "./serve-static.js";

/**
 * Captures the real-upgrade corpus in Chromium: each release served from the scratch folder on 127.0.0.1,
 * each view reached by clicking as a person would, the snapshot taken with the engine's own code, and the
 * recorded fingerprint of each target taken the way the engine records it at first locate (the snapshot
 * node's fingerprint, row and heading included). Run by hand when the corpus changes:
 *   npx tsx src/bench/healing-apps-capture.ts /work/corpus
 * with <dir>/<app>/<release>/ holding each release as `npm pack` unpacks it (extra setup, where a release
 * needs it, is described in its pair file: TiddlyWiki builds its empty edition, Swagger UI gets a local spec).
 */

/** Waits until the page has had no DOM change for `quietMs`: the app has rendered what a click started. */
async function settled(session: BrowserSession, quietMs = 400) {
  const r = await session.waits.domQuiet({ quietMs, timeoutMs: 15_000 });
  if (!r.success) throw new Error(`the page did not settle: ${r.reason}`);
}

/** Index into the snapshot of the one element a truth names (or its nearest listed ancestor). */
async function resolveWhere(session: BrowserSession, where: Where, nodes: AccessibilityNode[]) {
  const selectors = nodes.map((n) => (n.path.frames.length || n.path.hosts.length ? "" : n.path.selector));
  const r = await session.evaluate<{ count: number; index: number }>(`(() => {
    const where = ${JSON.stringify(where)};
    const selectors = ${JSON.stringify(selectors)};
    const squash = (s) => (s ?? "").replace(/\\s+/g, " ").trim();
    let found = [...document.querySelectorAll(where.css)].filter((e) => e.getClientRects().length > 0);
    if (where.text !== undefined) found = found.filter((e) => squash(e.textContent) === where.text);
    if (where.within) found = found.filter((e) => {
      const row = e.closest(where.within.css);
      return !!row && (row.textContent ?? "").replace(/\\s+/g, "").startsWith(where.within.text.replace(/\\s+/g, ""));
    });
    if (found.length !== 1) return { count: found.length, index: -1 };
    const listed = selectors.map((s) => { try { return s ? document.querySelector(s) : null; } catch { return null; } });
    for (let e = found[0]; e; e = e.parentElement) {
      const index = listed.indexOf(e);
      if (index >= 0) return { count: 1, index };
    }
    return { count: 1, index: -1 };
  })()`);
  if (r.count !== 1 || r.index < 0) {
    throw new Error(`${JSON.stringify(where)} matches ${r.count} element(s) (in snapshot: ${r.index >= 0})`);
  }
  return r.index;
}

async function openView(session: BrowserSession, url: string, clicks: string[]) {
  await session.navigate(url);
  await settled(session, 600);
  for (const css of clicks) {
    await session.click({ css });
    await settled(session);
  }
  await session.evaluate("(document.activeElement && document.activeElement.blur(), true)");
  return (await session.accessibilitySnapshot()).nodes;
}

async function capturePair(session: BrowserSession, dir: string, pair: AppPair): Promise<CapturedPair> {
  const oldSite = await serveStatic(resolve(dir, pair.app, pair.from));
  const nowSite = await serveStatic(resolve(dir, pair.app, pair.to));
  try {
    const recorded: Fingerprint[] = [];
    const truth: (number | null)[] = [];
    const views: CapturedPair["views"] = {};
    for (const [name, view] of Object.entries(pair.views)) {
      const targets = pair.targets.map((t, i) => [t, i] as const).filter(([t]) => t.view === name);
      const oldNodes = await openView(session, `${oldSite.url}/${pair.page.old}`, view.old);
      const fps = fingerprintsOf(oldNodes);
      for (const [t, i] of targets) recorded[i] = fps[await resolveWhere(session, t.old, oldNodes)]!;
      const nowNodes = await openView(session, `${nowSite.url}/${pair.page.now}`, view.now);
      for (const [t, i] of targets) truth[i] = t.now ? await resolveWhere(session, t.now, nowNodes) : null;
      views[name] = nowNodes.map(compactNode);
    }
    const v = await session.getViewport();
    return {
      app: pair.app,
      from: pair.from,
      to: pair.to,
      viewport: { width: v.width, height: v.height },
      views,
      targets: pair.targets.map((t, i) => ({
        description: t.description,
        ...(t.role ? { role: t.role } : {}),
        view: t.view,
        recorded: recorded[i]!,
        truth: truth[i]!,
      })),
    };
  } finally {
    await oldSite.close();
    await nowSite.close();
  }
}

if (process.argv[1] && /healing-apps-capture\.[jt]s$/.test(process.argv[1])) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: healing-apps-capture.ts <scratch dir holding <app>/<release>/>");
  const driver = new PlaywrightDriver({
    ...DEFAULT_CHROMIUM,
    executablePath: process.env.TESTDRIVER_CHROMIUM_PATH ?? DEFAULT_CHROMIUM.executablePath,
  });
  const session = await driver.newSession();
  try {
    for (const pair of APP_PAIRS) {
      const out = corpusFile(pair);
      mkdirSync(join(out, ".."), { recursive: true });
      writeFileSync(out, `${JSON.stringify(await capturePair(session, dir, pair))}\n`);
      process.stdout.write(`wrote ${out}\n`);
    }
  } finally {
    await session.close();
    await driver.close();
  }
}
