import { duration, html } from "../ui/html.js";
import { badge } from "../ui/step.js";
import { api, query } from "./api.js";
import { announce, debounce, formValues, hashOf, render, time, type View } from "./dom.js";

interface RunRow {
  run_id: string;
  plan_id: string | null;
  plan_name: string | null;
  application_url: string;
  application_version: string | null;
  status: string;
  source: string | null;
  requested_at: string | null;
  duration_ms: number | null;
  total_steps: number;
  passed_steps: number;
  failed_steps: number;
  skipped_steps: number;
  healed_steps: number;
}

interface PlanEntry {
  plan_id: string;
  name: string;
  applications: { url: string; version: string | null }[];
}

const STATUSES = ["running", "passed", "failed", "healing", "stopped", "error", "pending"];

function stepsText(r: RunRow) {
  const parts = [`${r.passed_steps - r.healed_steps} passed`];
  if (r.healed_steps) parts.push(`${r.healed_steps} healed`);
  if (r.failed_steps) parts.push(`${r.failed_steps} failed`);
  if (r.skipped_steps) parts.push(`${r.skipped_steps} skipped`);
  return `${r.total_steps}: ${parts.join(", ")}`;
}

const dayStart = (date: string | null) => (date ? new Date(`${date}T00:00:00`).toISOString() : undefined);
const dayAfter = (date: string | null) =>
  date ? new Date(new Date(`${date}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined;

/** Runs, newest first, filtered, updating live as the log moves. */
export const runsView: View = async (main, route, ctx) => {
  const p = route.params;
  const { plans } = await api<{ plans: PlanEntry[] }>("/api/plans");
  const apps = [...new Set(plans.flatMap((x) => x.applications.map((a) => a.url)))];
  render(
    main,
    html`<h1 tabindex="-1">Runs</h1>
<div class="actions">${ctx.can("runner") ? html`<a class="button primary" href="#/start">Start a run</a>` : ""}<span class="live" id="live">Live: the list follows the runs as they happen</span></div>
<form id="filters" class="toolbar" aria-label="Filter the runs">
<div class="field"><label for="f-status">Status</label><select id="f-status" name="status"><option value="">any</option>${STATUSES.map((s) => html`<option${p.get("status") === s ? html` selected` : ""}>${s}</option>`)}</select></div>
<div class="field"><label for="f-plan">Plan</label><select id="f-plan" name="plan"><option value="">any</option>${plans.map((x) => html`<option value="${x.plan_id}"${p.get("plan") === x.plan_id ? html` selected` : ""}>${x.name}</option>`)}</select></div>
<div class="field"><label for="f-app">Application</label><input id="f-app" name="app" list="apps" value="${p.get("app") ?? ""}" placeholder="http://…"><datalist id="apps">${apps.map((a) => html`<option value="${a}"></option>`)}</datalist></div>
<div class="field"><label for="f-version">Version</label><input id="f-version" name="version" size="6" value="${p.get("version") ?? ""}"></div>
<div class="field"><label for="f-since">From</label><input id="f-since" name="since" type="date" value="${p.get("since") ?? ""}"></div>
<div class="field"><label for="f-until">To</label><input id="f-until" name="until" type="date" value="${p.get("until") ?? ""}"></div>
<button type="submit">Filter</button> <a href="#/runs">Clear</a>
</form>
<div id="runs" aria-live="off"></div>`,
  );
  const list = main.querySelector("#runs")!;
  const form = main.querySelector<HTMLFormElement>("#filters")!;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const v = formValues(form);
    location.hash = hashOf("/runs", {
      status: v.status,
      plan: v.plan,
      app: v.app,
      version: v.version,
      since: v.since,
      until: v.until,
    });
  });
  let known = new Set<string>();
  const load = async (first: boolean) => {
    const { runs } = await api<{ runs: RunRow[] }>(
      `/api/runs${query({
        status: p.get("status"),
        plan_id: p.get("plan"),
        application: p.get("app"),
        application_version: p.get("version"),
        since: dayStart(p.get("since")),
        until: dayAfter(p.get("until")),
        limit: 100,
      })}`,
    );
    const fresh = runs.filter((r) => !known.has(r.run_id));
    if (!first && fresh.length)
      announce(
        `${fresh.length} new run${fresh.length > 1 ? "s" : ""}: ${fresh.map((r) => r.plan_name).join(", ")}`,
      );
    known = new Set(runs.map((r) => r.run_id));
    render(
      list,
      runs.length
        ? html`<table><caption class="visually-hidden">Runs, newest first</caption><thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Application</th><th scope="col">Steps</th><th scope="col">Requested</th><th scope="col" class="num">Duration</th></tr></thead><tbody>${runs.map(
            (
              r,
            ) => html`<tr data-run="${r.run_id}"><td><a data-key="${r.run_id}" href="#/runs/${r.run_id}">${r.plan_name ?? "(no plan)"}</a>${r.source === "replay" ? html` <span class="muted">(re-execution)</span>` : ""}<div class="muted"><code>${r.run_id.slice(0, 8)}</code></div></td>
<td>${badge(r.status)}</td><td>${r.application_url}${r.application_version ? html` <span class="muted">v${r.application_version}</span>` : ""}</td><td>${stepsText(r)}</td><td>${time(r.requested_at)}</td><td class="num">${duration(r.duration_ms)}</td></tr>`,
          )}</tbody></table>`
        : html`<p class="notice">No runs${p.toString() ? " match these filters" : " yet"}.${ctx.can("runner") ? html` <a href="#/start">Start a run</a>.` : ""}</p>`,
    );
  };
  await load(true);
  const refresh = debounce(() => void load(false), 300);
  return ctx.live.subscribe((e) => {
    if (e.streamId.startsWith("run-")) refresh();
  });
};
