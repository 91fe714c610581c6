import type { BrowserSession } from "../../ports/browser.js";

/** The spec's performance budgets (FCP 2000 ms, LCP 2500 ms, CLS 0.1, TTI 3500 ms). */
export interface PerformanceBudgets {
  fcp_ms: number;
  lcp_ms: number;
  cls: number;
  tti_ms: number;
}
export const DEFAULT_BUDGETS: PerformanceBudgets = { fcp_ms: 2000, lcp_ms: 2500, cls: 0.1, tti_ms: 3500 };

export interface PageMetrics {
  /** performance.timeOrigin: one per navigation, so each page load is measured once. */
  time_origin: number;
  ttfb_ms: number;
  fcp_ms: number | null;
  lcp_ms: number | null;
  cls: number;
  /** Total blocking time: the long tasks' time beyond 50 ms each, the lab stand-in for interactivity. */
  tbt_ms: number;
  /** A lab estimate: DOM content loaded (or FCP, if later) plus the total blocking time. */
  tti_ms: number;
  transfer_bytes: number;
  requests: number;
}

// Buffered observers report what happened before they were created; they deliver asynchronously.
const MEASURE = `new Promise((resolve) => {
  const nav = performance.getEntriesByType("navigation")[0];
  let fcpMs = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null;
  let lcp = null, cls = 0, tbt = 0;
  const observe = (type, fn) => { try { new PerformanceObserver((l) => l.getEntries().forEach(fn)).observe({ type, buffered: true }); } catch {} };
  observe("largest-contentful-paint", (e) => { lcp = Math.max(lcp ?? 0, e.renderTime || e.loadTime || e.startTime); });
  observe("layout-shift", (e) => { if (!e.hadRecentInput) cls += e.value; });
  observe("longtask", (e) => { tbt += Math.max(0, e.duration - 50); });
  observe("paint", (e) => { if (e.name === "first-contentful-paint") fcpMs = e.startTime; });
  // A busy machine may paint after the load event: give the first paint up to a second to arrive.
  const started = Date.now();
  const finish = () => {
    if (fcpMs === null && Date.now() - started < 1000) return setTimeout(finish, 100);
    const resources = performance.getEntriesByType("resource");
    const transfer = resources.reduce((a, r) => a + (r.transferSize || 0), nav ? nav.transferSize || 0 : 0);
    const dcl = nav ? nav.domContentLoadedEventEnd : 0;
    resolve({
      time_origin: performance.timeOrigin,
      ttfb_ms: nav ? nav.responseStart - nav.requestStart : 0,
      fcp_ms: fcpMs,
      lcp_ms: lcp,
      cls: Math.round(cls * 10000) / 10000,
      tbt_ms: Math.round(tbt),
      tti_ms: Math.round(Math.max(dcl, fcpMs ?? 0) + tbt),
      transfer_bytes: transfer,
      requests: resources.length + 1,
    });
  };
  setTimeout(finish, 100);
})`;

export async function measurePage(session: BrowserSession): Promise<PageMetrics> {
  const m = await session.evaluate<PageMetrics>(MEASURE);
  const round = (v: number | null) => (v === null ? null : Math.round(v));
  return { ...m, ttfb_ms: Math.round(m.ttfb_ms), fcp_ms: round(m.fcp_ms), lcp_ms: round(m.lcp_ms) };
}

/** The budgets a page's metrics break. */
export function breaches(metrics: PageMetrics, budgets: PerformanceBudgets) {
  const out: { metric: keyof PerformanceBudgets; value: number; budget: number }[] = [];
  const check = (metric: keyof PerformanceBudgets, value: number | null) => {
    if (value !== null && value > budgets[metric]) out.push({ metric, value, budget: budgets[metric] });
  };
  check("fcp_ms", metrics.fcp_ms);
  check("lcp_ms", metrics.lcp_ms);
  check("cls", metrics.cls);
  check("tti_ms", metrics.tti_ms);
  return out;
}
