import { duration, html, type Safe } from "../ui/html.js";
import type { RunSummary, Timeline } from "./timeline.js";

export type { RunSummary, Timeline } from "./timeline.js";

import { badge, stepCard, stepSummary } from "../ui/step.js";
import { api, apiKey } from "./api.js";
import { announce, type Ctx, debounce, hashOf, on, type Route, render, time, type View } from "./dom.js";
import { replayPanel } from "./view-replay.js";
import { travelPanel } from "./view-travel.js";

const finished = (status: string) => !["pending", "running", "healing"].includes(status);

function header(run: RunSummary, t: Timeline, ctx: Ctx, tab: string): Safe {
  const pending = t.heals.filter(
    (h) => !h.review && (h.decision === "propose" || h.decision === "manual_review"),
  ).length;
  const base = `#/runs/${run.run_id}`;
  const s = run.steps;
  return html`<p class="muted"><a href="#/runs">Runs</a> › run <code>${run.run_id.slice(0, 8)}</code></p>
<h1 tabindex="-1">${run.plan_name ?? "Run"} ${badge(run.status)}</h1>
<p class="meta">${run.application_url ?? ""}${run.application_version ? ` · version ${run.application_version}` : ""} · ${run.driver ?? ""} · ${s.total} steps: ${s.passed} passed${s.healed ? ` (${s.healed} healed)` : ""}${s.failed ? `, ${s.failed} failed` : ""}${s.skipped ? `, ${s.skipped} skipped` : ""}${run.duration_ms !== null ? ` · took ${duration(run.duration_ms)}` : ""} · requested ${time(run.requested_at)}${run.related_run ? html` · replays <a href="#/runs/${run.related_run}">${run.related_run.slice(0, 8)}</a>` : ""}</p>
${run.error ? html`<p class="notice bad">${run.error}</p>` : ""}
${pending ? html`<p class="notice">${pending} heal${pending > 1 ? "s" : ""} of this run await${pending > 1 ? "" : "s"} a person's review: until approved they are used in this run only. <a href="${hashOf("/heals", { run: run.run_id })}">Review ${pending > 1 ? "them" : "it"}</a></p>` : ""}
<div class="actions">
${documentLink(ctx, `/api/runs/${run.run_id}/report?format=html`, `testdriver-${run.run_id}.html`, "HTML report")}
${documentLink(ctx, `/api/runs/${run.run_id}/export?format=playwright`, `testdriver-${run.run_id}.spec.mjs`, "Playwright test")}
${ctx.can("runner") && run.plan_id ? html`<a class="button" href="${hashOf("/start", { plan: run.plan_id, url: run.application_url, version: run.application_version })}">Run again</a>` : ""}
${ctx.can("runner") && !finished(run.status) ? html`<button type="button" data-act="stop">Stop after this step</button>` : ""}
${ctx.can("runner") && run.status === "stopped" ? html`<button type="button" data-act="resume">Resume</button>` : ""}
${ctx.can("runner") && run.status === "failed" ? html`<button type="button" data-act="heal">Heal: re-run from the first failure</button>` : ""}
</div>
<div id="act-result" role="status"></div>
<ul class="subnav">${[
    ["steps", "Steps", base],
    ["time", "Time travel", `${base}/time`],
    ["replay", "Replay", `${base}/replay`],
  ].map(
    ([id, label, href]) =>
      html`<li><a href="${href}"${tab === id ? html` aria-current="page"` : ""}>${label}</a></li>`,
  )}</ul>`;
}

function stepsPanel(el: Element, t: Timeline, selected: number) {
  render(
    el,
    html`<h2 class="visually-hidden">Steps</h2><div class="split"><ol class="steps" aria-label="Steps of the run">${t.steps.map(
      (s) =>
        html`<li><button type="button" data-key="step-${s.index}" data-step="${s.index}" aria-current="${s.index === selected ? "true" : "false"}">${stepSummary(s)}</button></li>`,
    )}</ol><div id="step-detail">${
      t.steps[selected]
        ? stepCard(t.steps[selected], {
            headingLevel: 2,
            reviewHref: () => hashOf("/heals", { run: t.run.run_id }),
          })
        : html`<p>No steps yet.</p>`
    }</div></div>`,
  );
}

/** The step to show first: the one asked for, else the running one, else the first failure or heal. */
function initialStep(t: Timeline, asked: string | null) {
  if (asked !== null && t.steps[Number(asked)]) return Number(asked);
  if (t.run.current_step !== null) return t.run.current_step;
  const notable = t.steps.find((s) => s.status === "failed") ?? t.steps.find((s) => s.status === "healed");
  return notable?.index ?? 0;
}

/**
 * A report or export. Without keys, a plain link. With keys, the document is fetched with the key and saved:
 * opened from a blob: URL it would inherit the console's content security policy, which refuses the report's
 * own inline style and script.
 */
function documentLink(ctx: Ctx, path: string, file: string, label: string): Safe {
  return ctx.me.auth === "open"
    ? html`<a class="button" href="${path}" target="_blank" rel="noopener">${label}</a>`
    : html`<button type="button" data-save="${path}" data-file="${file}">${label} (download)</button>`;
}

async function saveDocument(path: string, file: string) {
  const key = apiKey.get();
  const response = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = file;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** One run: header, then its steps, time travel or replay; live while it runs. */
export const runView: View = async (main, route: Route, ctx) => {
  const id = route.path[1]!;
  const tab = route.path[2] === "time" ? "time" : route.path[2] === "replay" ? "replay" : "steps";
  let t = await api<Timeline>(`/api/runs/${id}/timeline`);
  let selected = initialStep(t, route.params.get("step"));
  let followRunning = route.params.get("step") === null && !finished(t.run.status);
  render(main, html`<div id="run-head"></div><div id="run-body"></div>`);
  const head = main.querySelector("#run-head")!;
  const body = main.querySelector("#run-body")!;
  render(head, header(t.run, t, ctx, tab));
  const cleanups: (() => void)[] = [];
  if (tab === "steps") stepsPanel(body, t, selected);
  else if (tab === "time") cleanups.push(await travelPanel(body, t, route));
  else cleanups.push(await replayPanel(body, t, ctx));

  const select = (index: number) => {
    if (!t.steps[index]) return;
    selected = index;
    followRunning = false;
    history.replaceState(null, "", hashOf(`/runs/${id}`, { step: index }));
    stepsPanel(body, t, selected);
    (body.querySelector(`[data-step="${index}"]`) as HTMLElement | null)?.focus();
  };
  cleanups.push(
    on(main, "click", "[data-step]", (_e, target) => select(Number(target.dataset.step))),
    on<KeyboardEvent>(main, "keydown", "[data-step]", (e, target) => {
      const delta = e.key === "ArrowDown" ? 1 : e.key === "ArrowUp" ? -1 : 0;
      if (delta) {
        e.preventDefault();
        select(Number(target.dataset.step) + delta);
      }
    }),
    on(
      main,
      "click",
      "[data-save]",
      (_e, target) => void saveDocument(target.dataset.save!, target.dataset.file!),
    ),
    on(main, "click", "[data-act]", async (_e, target) => {
      const result = main.querySelector("#act-result")!;
      try {
        await api(`/api/runs/${id}/${target.dataset.act}`, { method: "POST", body: {} });
        render(
          result,
          html`<p class="notice good">${target.dataset.act === "stop" ? "The run stops after its current step." : "Started."}</p>`,
        );
      } catch (error) {
        render(result, html`<p class="notice bad">${(error as Error).message}</p>`);
      }
    }),
  );
  const refresh = debounce(async () => {
    const before = t.run.status;
    t = await api<Timeline>(`/api/runs/${id}/timeline`);
    render(head, header(t.run, t, ctx, tab));
    if (tab === "steps") {
      if (followRunning)
        selected = t.run.current_step ?? (finished(t.run.status) ? initialStep(t, null) : selected);
      stepsPanel(body, t, selected);
    }
    if (before !== t.run.status) announce(`The run is ${t.run.status}`);
  }, 300);
  cleanups.push(
    ctx.live.subscribe((e) => {
      if (e.streamId === `run-${id}`) refresh();
    }),
  );
  return () => {
    for (const c of cleanups) c();
  };
};
