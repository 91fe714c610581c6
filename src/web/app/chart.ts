import { html, percent, type Safe } from "../ui/html.js";

export interface Point {
  bucket: string;
  pass_rate: number;
  flakiness: number;
  runs: { run_id: string }[];
}

const W = 640;
const H = 220;
const PAD = { left: 44, right: 16, top: 14, bottom: 34 };

/**
 * Pass rate (solid) and flakiness (dashed) per point, 0 to 100 %, as an SVG; each point is a link to the
 * runs behind it. The table under the chart carries the same numbers for those who do not see it.
 */
export function reliabilityChart(
  points: Point[],
  label: (p: Point) => string,
  tick: (p: Point) => string,
  href: (i: number) => string,
): Safe {
  const n = points.length;
  const x = (i: number) =>
    PAD.left + (n <= 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (v: number) => PAD.top + (1 - v) * (H - PAD.top - PAD.bottom);
  const line = (f: (p: Point) => number) =>
    points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(f(p)).toFixed(1)}`).join(" ");
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const every = Math.max(1, Math.ceil(n / 8));
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" role="group" aria-label="Pass rate and flakiness over time; each point links to its runs">
${ticks.map((t) => html`<line class="grid" x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t)}" y2="${y(t)}"></line><text x="${PAD.left - 6}" y="${y(t) + 4}" text-anchor="end">${percent(t)}</text>`)}
${n > 1 ? html`<path class="pass" d="${line((p) => p.pass_rate)}"></path><path class="flaky" d="${line((p) => p.flakiness)}"></path>` : ""}
${points.map(
  (p, i) =>
    html`<a href="${href(i)}" data-key="point-${i}" aria-label="${label(p)}"><circle class="dot-pass" cx="${x(i)}" cy="${y(p.pass_rate)}" r="5"></circle><rect class="dot-flaky" x="${x(i) - 4}" y="${y(p.flakiness) - 4}" width="8" height="8"></rect></a>${
      i % every === 0 || i === n - 1
        ? html`<text x="${x(i)}" y="${H - 10}" text-anchor="${n > 1 && i === n - 1 ? "end" : n > 1 && i === 0 ? "start" : "middle"}">${tick(p)}</text>`
        : ""
    }`,
)}
</svg>
<p class="legend"><span><span class="swatch"></span>pass rate (circles)</span><span><span class="swatch flaky"></span>flakiness (squares)</span></p>`;
}
