import { html, type Safe } from "./html.js";
import type { Box, Shot } from "./model.js";

export interface Outline {
  box: Box;
  /** target: what a step acted on; was / now: an element before and after a heal; change: a changed region. */
  kind: "target" | "source" | "destination" | "was" | "now" | "change";
}

/** The id under which a screenshot is defined once in the document and used wherever it is shown. */
export const shotId = (hash: string) => `shot-${hash}`;

/**
 * A screenshot with boxes outlined on it: an SVG in the page's CSS pixels that uses the image defined once
 * in the document (so a report that shows a screenshot twice carries it once) and draws rectangles, with no
 * inline style (the console's content security policy allows none).
 */
export function screenshot(
  shot: Shot,
  outlines: Outline[],
  label: string,
  options: { className?: string; zoom?: number; focus?: Box[] } = {},
): Safe {
  const pad = 3;
  const around = options.focus ?? outlines.map((o) => o.box);
  return html`<svg class="shot ${options.className ?? ""}" viewBox="${viewBox(shot, around, options.zoom ?? 1)}" role="img" aria-label="${label}" data-shot="${shot.hash}" data-src="${shot.url ?? ""}" data-width="${shot.width}" data-height="${shot.height}"><use href="#${shotId(shot.hash)}"></use>${outlines.map(
    (o) =>
      html`<rect class="outline ${o.kind}" x="${Math.max(0, o.box.x - pad)}" y="${Math.max(0, o.box.y - pad)}" width="${o.box.width + 2 * pad}" height="${o.box.height + 2 * pad}" rx="4"></rect>`,
  )}</svg>`;
}

/**
 * The part of the screenshot to show: all of it, or with `zoom` a window that many times smaller centred on
 * the outlined boxes (and never smaller than they are), so small elements can be seen in a narrow column.
 */
function viewBox(shot: Shot, boxes: Box[], zoom: number): string {
  if (zoom <= 1 || boxes.length === 0) return `0 0 ${shot.width} ${shot.height}`;
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  const scale = Math.max(1 / zoom, (right - left + 80) / shot.width, (bottom - top + 80) / shot.height);
  const w = Math.min(shot.width, shot.width * scale);
  const h = Math.min(shot.height, shot.height * scale);
  const clamp = (v: number, max: number) => Math.round(Math.max(0, Math.min(v, max)));
  return `${clamp((left + right) / 2 - w / 2, shot.width - w)} ${clamp((top + bottom) / 2 - h / 2, shot.height - h)} ${Math.round(w)} ${Math.round(h)}`;
}

/** The hidden definitions the screenshots use: `src` is a data: URI (report) or an object URL (console). */
export function shotDefinition(shot: Shot, src: string): Safe {
  return html`<image id="${shotId(shot.hash)}" href="${src}" width="${shot.width}" height="${shot.height}" preserveAspectRatio="none"></image>`;
}

/** Every distinct screenshot a set of shots refers to. */
export function distinctShots(shots: (Shot | null | undefined)[]): Shot[] {
  const seen = new Map<string, Shot>();
  for (const s of shots) if (s && !seen.has(s.hash)) seen.set(s.hash, s);
  return [...seen.values()];
}
