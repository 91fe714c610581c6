import { html, type Safe } from "../ui/html.js";
import type { Box, Shot } from "../ui/model.js";
import { type Outline, screenshot } from "../ui/shot.js";
import { badge } from "../ui/step.js";
import { on } from "./dom.js";

export interface DriftElement {
  role: string;
  name: string;
  box: Box;
  interactive: boolean;
}

export interface Detection {
  detection_id: string;
  at: string;
  page: string;
  run_id?: string;
  severity: string;
  similarity: number;
  pixel_diff_ratio: number;
  changed_regions: Box[];
  new_elements: DriftElement[];
  removed_elements: DriftElement[];
  changed_elements: { kind: string; before: DriftElement; after: DriftElement; distance: number }[];
  reasons: string[];
  description: string;
  impact_assessment: string;
  recommended_actions: string[];
  baseline_shot: Shot | null;
  current_shot: Shot | null;
}

const el = (e: DriftElement) => `${e.role} “${e.name}”`;

function structural(d: Detection): Safe {
  const items = [
    ...d.removed_elements.map(
      (e) => html`<li><strong>removed</strong> ${el(e)}${e.interactive ? " (interactive)" : ""}</li>`,
    ),
    ...d.new_elements.map(
      (e) => html`<li><strong>added</strong> ${el(e)}${e.interactive ? " (interactive)" : ""}</li>`,
    ),
    ...d.changed_elements.map(
      (c) => html`<li><strong>${c.kind.replace("_", " ")}</strong> ${el(c.before)} → ${el(c.after)}</li>`,
    ),
  ];
  return items.length ? html`<ul>${items}</ul>` : html`<p class="muted">No structural change.</p>`;
}

/**
 * A drift check against its baseline: side by side, overlaid (with the opacity of the page now) or with a
 * slider between them; changed regions outlined on both, elements that went on the baseline and elements
 * that came on the page now; the structural changes in words.
 */
export function diffViewer(d: Detection, mode: string): Safe {
  const regions: Outline[] = d.changed_regions.map((box) => ({ box, kind: "change" }));
  const before = [
    ...regions,
    ...d.removed_elements.map((e) => ({ box: e.box, kind: "was" as const })),
    ...d.changed_elements.map((c) => ({ box: c.before.box, kind: "was" as const })),
  ];
  const after = [
    ...regions,
    ...d.new_elements.map((e) => ({ box: e.box, kind: "now" as const })),
    ...d.changed_elements.map((c) => ({ box: c.after.box, kind: "now" as const })),
  ];
  const b = d.baseline_shot;
  const a = d.current_shot;
  // Both images cut to the same window around everything that changed, so they line up when stacked.
  const zoom = { zoom: 1.6, focus: [...before, ...after].map((o) => o.box) };
  const views =
    !b || !a
      ? html`<p class="muted">The screenshots of this check are not available.</p>`
      : mode === "side"
        ? html`<div class="shots"><figure>${screenshot(b, before, "The baseline, changed regions and elements that went outlined", zoom)}<figcaption>Baseline: <span class="key k-change" aria-hidden="true"></span>changed regions, <span class="key k-was" aria-hidden="true"></span>elements removed or changed</figcaption></figure><figure>${screenshot(a, after, "The page at the check, changed regions and new elements outlined", zoom)}<figcaption>At the check: <span class="key k-now" aria-hidden="true"></span>elements added or changed</figcaption></figure></div>`
        : html`<div class="diff ${mode}"><div>${screenshot(b, before, "The baseline", zoom)}</div><div class="layer top-layer" id="diff-top">${screenshot(a, after, "The page at the check, over the baseline", zoom)}</div></div>
<div class="field"><label for="diff-range">${mode === "slider" ? "Slider: how much of the page at the check shows, from the left" : "Opacity of the page at the check over the baseline"}</label><input id="diff-range" type="range" min="0" max="100" value="50" class="scrub"></div>`;
  return html`<section class="card" aria-labelledby="det-${d.detection_id}"><h3 id="det-${d.detection_id}">Check of ${new Date(d.at).toLocaleString()} ${badge(d.severity)}</h3>
<p>${d.description}</p><p class="muted">Similarity ${d.similarity.toFixed(3)}, ${(d.pixel_diff_ratio * 100).toFixed(2)} % of the pixels differ. ${d.impact_assessment}</p>
<fieldset><legend>Compare</legend>${[
    ["side", "Side by side"],
    ["overlay", "Overlay"],
    ["slider", "Slider"],
  ].map(
    ([value, label]) =>
      html`<input type="radio" name="diff-mode" id="mode-${value}" value="${value}"${mode === value ? html` checked` : ""}> <label for="mode-${value}">${label}</label> `,
  )}</fieldset>
${views}
<h4>Structural changes</h4>${structural(d)}
${d.recommended_actions.length ? html`<h4>What to do</h4><ul>${d.recommended_actions.map((x) => html`<li>${x}</li>`)}</ul>` : ""}
</section>`;
}

/** Wires the viewer's controls: the mode, and the range that sets the overlay's opacity or the slider's cut. */
export function wireDiff(root: Element, onMode: (mode: string) => void) {
  const offMode = on(root, "change", "input[name=diff-mode]", (_e, t) =>
    onMode((t as HTMLInputElement).value),
  );
  const offRange = on(root, "input", "#diff-range", (_e, t) => {
    const top = root.querySelector<HTMLElement>("#diff-top");
    const value = Number((t as HTMLInputElement).value);
    if (!top) return;
    if (root.querySelector(".diff.slider")) top.style.clipPath = `inset(0 ${100 - value}% 0 0)`;
    else top.style.opacity = String(value / 100);
  });
  return () => {
    offMode();
    offRange();
  };
}
