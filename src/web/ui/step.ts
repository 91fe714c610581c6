import { duration, html, type Safe } from "./html.js";
import type { TimelineHeal, TimelineStep } from "./model.js";
import { type Outline, screenshot } from "./shot.js";

const LABELS: Record<string, string> = { "pending-review": "awaiting review" };

/** A status as a coloured label; the colour is never the only signal, the word is always there. */
export const badge = (status: string) =>
  html`<span class="badge s-${status}">${LABELS[status] ?? status.replace(/_/g, " ")}</span>`;

/** One line per step: number, status, description, how its element was found, time. */
export function stepSummary(step: TimelineStep): Safe {
  const target = step.elements[0];
  return html`<span class="step-num">${step.index + 1}</span>${badge(step.status)}<span class="desc">${step.description}</span><span class="dur">${duration(step.duration_ms)}</span>${
    target ? html`<span class="found">${target.short}</span>` : ""
  }`;
}

function healBlock(heal: TimelineHeal, reviewHref?: (h: TimelineHeal) => string): Safe {
  const verified =
    heal.successful === true
      ? "the next check passed"
      : heal.successful === false
        ? "the next check failed: not learned"
        : "not verified yet";
  const review = heal.review
    ? html`<strong>${heal.review.approved ? "approved" : "rejected"}</strong> by ${heal.review.reviewer}${heal.review.note ? html` (“${heal.review.note}”)` : ""}`
    : heal.decision === "propose" || heal.decision === "manual_review"
      ? reviewHref
        ? html`<a href="${reviewHref(heal)}">awaiting review</a>`
        : html`<strong>awaiting review</strong>`
      : "";
  return html`<div class="heal-note"><p><strong>Healed.</strong> <code>${heal.old_locator ?? "?"}</code> no longer matched; now <code>${heal.new_locator}</code>, confidence ${heal.confidence_words}.</p>
<p>${heal.decision_words}; ${verified}${review ? html`; ${review}` : ""}.</p></div>`;
}

function outlinesOf(step: TimelineStep): Outline[] {
  // A form fill's fields are outlined as targets: each is what the step acted on.
  return step.elements.map((e) => ({
    box: e.box,
    kind: e.role === "source" || e.role === "destination" ? e.role : "target",
  }));
}

function list<T>(title: string, items: T[], render: (item: T) => Safe, empty: string): Safe {
  return html`<section class="facet"><h4>${title}</h4>${items.length ? html`<ul>${items.map((i) => html`<li>${render(i)}</li>`)}</ul>` : html`<p class="muted">${empty}</p>`}</section>`;
}

export interface StepCardOptions {
  /** Where a heal awaiting review can be reviewed (the console's queue); plain text without it. */
  reviewHref?: (heal: TimelineHeal) => string;
  headingLevel?: 2 | 3;
}

/** Everything known about one step: its elements on the page it acted on, the page after, waits, console, network, findings. */
export function stepCard(step: TimelineStep, options: StepCardOptions = {}): Safe {
  const h = options.headingLevel ?? 3;
  const described = step.elements
    .map((e) => `${e.role === "target" ? "" : `${e.role}: `}${e.element_role} “${e.name || e.tag}”`)
    .join(", ");
  const title = html`Step ${step.index + 1}: ${step.description} ${badge(step.status)}`;
  return html`<article class="step-card" id="step-${step.index}" aria-labelledby="step-${step.index}-title">
<h${h} id="step-${step.index}-title">${title}</h${h}>
<p class="meta">${step.action.replace(/_/g, " ")} · ${step.phase} step <code>${step.step_id}</code> · ${duration(step.duration_ms)}${step.attempts > 1 ? ` · ${step.attempts} attempts` : ""}</p>
${step.elements.map((e) => html`<p class="found-line"><span class="key k-${e.role}" aria-hidden="true"></span>${e.role === "target" ? "" : `${e.role}: `}${e.element_role} “${e.name || e.tag}” ${e.words}${e.locator ? html` · <code>${e.locator}</code>` : ""}</p>`)}
${step.heal ? healBlock(step.heal, options.reviewHref) : ""}
${step.error ? html`<p class="error">${step.error}</p>` : ""}${step.detail ? html`<p class="detail">Checked: ${step.detail}</p>` : ""}
<div class="shots">${
    step.before
      ? html`<figure>${screenshot(step.before, outlinesOf(step), `The page step ${step.index + 1} acted on, with ${described} outlined`, { zoom: 2 })}<figcaption>Before, around the element: the page it acted on${described ? html`, ${described} outlined` : ""}</figcaption></figure>`
      : ""
  }${
    step.after
      ? html`<figure>${screenshot(step.after, [], `The page after step ${step.index + 1}`)}<figcaption>After the step</figcaption></figure>`
      : ""
  }</div>
<div class="facets">
${list("Waits", step.waits, (w) => html`${w.wait.replace(/_/g, " ")} ${duration(w.duration_ms)}${w.success ? "" : html` <strong>timed out</strong>`}`, "No waits.")}
${list("Console", step.console, (c) => html`<span class="lvl lvl-${c.level}">${c.level}</span> ${c.text}`, "No console messages.")}
${list("Network", step.network, (n) => html`${n.method} ${n.url} <span class="${n.failure || (n.status ?? 0) >= 400 ? "error" : "muted"}">${n.failure ?? n.status ?? ""}</span>${n.duration_ms !== undefined ? html` <span class="muted">${duration(n.duration_ms)}</span>` : ""}`, "No requests.")}
${list("Quality findings", step.findings, (f) => html`<strong>${f.kind}, ${f.severity}</strong>: ${f.title}. ${f.detail}`, "None.")}
</div>
</article>`;
}
