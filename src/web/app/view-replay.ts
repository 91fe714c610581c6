import { html } from "../ui/html.js";
import { badge } from "../ui/step.js";
import { api } from "./api.js";
import { type Ctx, debounce, formValues, on, render } from "./dom.js";
import type { Timeline } from "./timeline.js";

interface Comparison {
  original_run_id: string;
  replay_run_id: string;
  status: string;
  finished: boolean;
  same: boolean;
  steps: {
    index: number;
    step_id: string;
    original: { status: string; locator: string | null; detail: string | null };
    replay: { status: string; locator: string | null; detail: string | null };
    same: boolean;
  }[];
}

function comparisonTable(c: Comparison, t: Timeline) {
  const verdict = !c.finished
    ? html`<p class="notice">The re-execution is ${c.status}; the comparison fills in as its steps run.</p>`
    : c.same
      ? html`<p class="notice good">Every step had the same outcome on the same element as in the original run.</p>`
      : html`<p class="notice bad">${c.steps.filter((s) => !s.same).length} step(s) differ from the original run.</p>`;
  return html`<h3>Compared with <a href="#/runs/${c.original_run_id}">the original run</a></h3>${verdict}
<table><caption class="visually-hidden">Steps of the original run and of the re-execution</caption><thead><tr><th scope="col">Step</th><th scope="col">Original</th><th scope="col">Re-execution</th><th scope="col">Same</th></tr></thead><tbody>${c.steps.map(
    (s) =>
      html`<tr><td>${s.index + 1}. ${t.steps[s.index]?.description ?? s.step_id}</td><td>${badge(s.original.status)} <code>${s.original.locator ?? ""}</code></td><td>${badge(s.replay.status)} <code>${s.replay.locator ?? ""}</code>${s.replay.detail && !s.same ? html`<div class="error">${s.replay.detail}</div>` : ""}</td><td>${s.same ? "yes" : html`<strong>no</strong>`}</td></tr>`,
  )}</tbody></table>`;
}

/** Replay: fold the events again and compare with the read model, or run the steps again and compare. */
export async function replayPanel(el: Element, t: Timeline, ctx: Ctx) {
  const run = t.run;
  const secrets =
    run.plan_id && ctx.can("runner")
      ? (
          await api<{ secret_steps: { step_id: string; description: string; value?: string }[] }>(
            `/api/plans/${encodeURIComponent(run.plan_id)}`,
          ).catch(() => ({ secret_steps: [] }))
        ).secret_steps
      : [];
  render(
    el,
    html`<h2>Replay</h2>
<section class="card"><h3>Refold</h3><p>Folds this run's events again and compares the result with the runs read model: the log alone rebuilds what the service shows.</p>
<button type="button" id="refold">Refold and compare</button><div id="refold-result" role="status"></div></section>
<section class="card"><h3>Re-execute</h3><p>Runs the recorded steps again in a fresh browser, each element pinned to the locator this run resolved (no search, no model), as a new run linked to this one; then compares them step by step.</p>
${
  ctx.can("runner")
    ? html`<form id="reexecute" class="stacked">${secrets.map((s) => html`<div class="field"><label for="rx-${s.step_id}">Secret value for the step “${s.description}”</label><input id="rx-${s.step_id}" name="${s.step_id}" type="password" autocomplete="off" required value="${s.value ?? ""}" aria-describedby="rx-help"><span id="rx-help" class="muted">Secrets are never stored: a re-execution needs them again.${s.value ? " Filled in from the bundled demo plan, where it is public." : ""}</span></div>`)}<div><button class="primary" type="submit">Re-execute</button></div><div id="rx-result" role="status"></div></form>`
    : html`<p class="muted">Re-executing needs a runner or admin key.</p>`
}</section>
<section id="comparison"></section>`,
  );
  const cleanups = [
    on(el, "click", "#refold", async () => {
      const out = el.querySelector("#refold-result")!;
      try {
        const r = await api<{
          equal: boolean;
          events: number;
          lagging: boolean;
          differences: { path: string }[];
        }>(`/api/runs/${run.run_id}/replay`, { method: "POST", body: { mode: "refold" } });
        render(
          out,
          r.equal
            ? html`<p class="notice good">Equal: the ${r.events} events fold to exactly what the read model holds.</p>`
            : r.lagging
              ? html`<p class="notice">The read model has not caught up with the last events yet; try again in a moment.</p>`
              : html`<p class="notice bad">Different at: ${r.differences.map((d) => d.path).join(", ")}</p>`,
        );
      } catch (error) {
        render(out, html`<p class="notice bad">${(error as Error).message}</p>`);
      }
    }),
  ];
  const form = el.querySelector<HTMLFormElement>("#reexecute");
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const r = await api<{ replay_run_id: string }>(`/api/runs/${run.run_id}/replay`, {
        method: "POST",
        body: { mode: "reexecute", wait: false, ...(secrets.length ? { secrets: formValues(form) } : {}) },
      });
      location.hash = `#/runs/${r.replay_run_id}/replay`;
    } catch (error) {
      render(el.querySelector("#rx-result")!, html`<p class="notice bad">${(error as Error).message}</p>`);
    }
  });
  if (run.source === "replay" && run.related_run) {
    const box = el.querySelector("#comparison")!;
    const show = async () => {
      const c = await api<Comparison>(`/api/runs/${run.run_id}/comparison`);
      render(box, comparisonTable(c, t));
    };
    await show();
    const refresh = debounce(() => void show(), 400);
    cleanups.push(
      ctx.live.subscribe((e) => {
        if (e.streamId === `run-${run.run_id}`) refresh();
      }),
    );
  }
  return () => {
    for (const c of cleanups) c();
  };
}
