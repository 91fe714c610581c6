import { createHash, randomUUID } from "node:crypto";
import type {
  BrowserSession,
  CaptureContext,
  FormSnapshot,
  RestoreReport,
  StateSnapshot,
  Viewport,
} from "../../ports/browser.js";

export { consoleErrorsOf, failedRequestsOf } from "../../ports/page.js";

import { readForms, withoutSecrets } from "./form-state.js";
import { MISSING, PAGE_SCRIPT_VERSION } from "./page-script.js";

interface PageCapture {
  url: string;
  title: string;
  html: string;
  scroll: { x: number; y: number };
  viewport: Viewport;
  local: Record<string, string>;
  session: Record<string, string>;
  loadedAt: number;
  forms: FormSnapshot | typeof MISSING;
}

// Plain page reads, and the forms through the page library when the document has it (a step that found an
// element installed it); otherwise the forms are read in a second call that brings the library along.
const CAPTURE = `(function () {
  function dump(s) { var o = {}; for (var i = 0; i < s.length; i++) { var k = s.key(i); o[k] = s.getItem(k); } return o; }
  var td = window.__td && window.__td.v === ${PAGE_SCRIPT_VERSION} ? window.__td : null;
  return { url: location.href, title: document.title, html: document.documentElement.outerHTML,
    scroll: { x: Math.round(window.scrollX), y: Math.round(window.scrollY) },
    viewport: { width: window.innerWidth, height: window.innerHeight },
    local: dump(localStorage), session: dump(sessionStorage), loadedAt: performance.timeOrigin,
    forms: td ? td.formState() : "${MISSING}" };
})()`;

/**
 * Captures the page's state. The in-page reads happen in one round trip, alongside the cookies and the
 * screenshot, because snapshots are taken at every step and must stay cheap.
 */
export async function captureSnapshot(
  session: BrowserSession,
  context: CaptureContext,
): Promise<StateSnapshot> {
  const [page, cookies, screenshot] = await Promise.all([
    session.evaluate<PageCapture>(CAPTURE),
    session.getCookies(),
    context.blobs ? session.screenshot() : Promise.resolve(undefined),
  ]);
  const forms = page.forms === MISSING ? await readForms(session) : page.forms;
  const screenshotHash = screenshot && context.blobs ? (await context.blobs.put(screenshot)).hash : undefined;
  const limit = context.recentLimit ?? 50;
  return {
    snapshotId: randomUUID(),
    runId: context.runId,
    stepId: context.stepId,
    timestamp: new Date().toISOString(),
    url: page.url,
    pageTitle: page.title,
    // A screenshot leaves an empty style attribute on an editable element (Playwright hides the caret by
    // setting one): that is not a change of the page.
    domHash: createHash("sha256")
      .update(page.html.replace(/ style=""/g, ""))
      .digest("hex"),
    viewport: page.viewport,
    scrollPosition: page.scroll,
    cookies,
    localStorage: page.local,
    sessionStorage: page.session,
    pendingRequests: session.pendingRequests(),
    recentResponses: session
      .network()
      .filter((n) => n.finishedAt !== undefined)
      .slice(-limit)
      .map((n) => ({
        url: n.url,
        method: n.method,
        status: n.status,
        failure: n.failure,
        durationMs: n.durationMs,
      })),
    consoleLogs: session.consoleLogs().slice(-limit),
    jsErrors: session.jsErrors().slice(-limit),
    executedSteps: context.executedSteps ?? [],
    testData: context.testData ?? {},
    screenshotHash,
    documentLoadedAt: page.loadedAt,
    forms: withoutSecrets(forms, context.secrets ?? []),
  };
}

/**
 * Brings a snapshot back into a session (a fresh one, typically): viewport, cookies, storage, URL and
 * scroll. Storage is written on the snapshot's page and the page is then reloaded, so that its scripts
 * start from the restored state as they did originally.
 */
export async function restoreSnapshot(
  session: BrowserSession,
  snapshot: StateSnapshot,
): Promise<RestoreReport> {
  await session.setViewport(snapshot.viewport);
  // Cookies first: the server decides what the URL shows (a signed-in page, or a redirect to sign in).
  await session.clearCookies();
  if (snapshot.cookies.length > 0) {
    try {
      await session.setCookies(snapshot.cookies);
    } catch {
      // WebDriver sets cookies only for the current document's site: open the origin, then set them.
      await session.navigate(new URL(snapshot.url).origin);
      await session.setCookies(snapshot.cookies);
    }
  }
  await session.navigate(snapshot.url);
  await session.clearStorage("local");
  await session.clearStorage("session");
  await session.setStorage("local", snapshot.localStorage);
  await session.setStorage("session", snapshot.sessionStorage);
  await session.reload();
  await session.scrollTo(snapshot.scrollPosition);
  const [url, local, sessionStorage, state] = await Promise.all([
    session.currentUrl(),
    session.getStorage("local"),
    session.getStorage("session"),
    session.pageState(),
  ]);
  const same = (a: Record<string, string>, b: Record<string, string>) =>
    JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  return {
    url,
    urlMatches: url === snapshot.url,
    storageMatches: same(local, snapshot.localStorage) && same(sessionStorage, snapshot.sessionStorage),
    scrollMatches:
      Math.abs(state.scroll.x - snapshot.scrollPosition.x) <= 1 &&
      Math.abs(state.scroll.y - snapshot.scrollPosition.y) <= 1,
  };
}
