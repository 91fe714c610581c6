import { html, percent } from "../ui/html.js";
import { badge } from "../ui/step.js";
import { api, query } from "./api.js";
import { type Point, reliabilityChart } from "./chart.js";
import { debounce, hashOf, render, time, type View } from "./dom.js";

interface Score {
  entity_type: string;
  entity_id: string;
  runs: number;
  score: number;
  pass_rate: number;
  flakiness: number;
  recovery_rate: number;
}

interface HistoryPoint extends Point {
  flips: number;
  comparisons: number;
  score: number;
  runs: { run_id: string; passed: boolean; completed_at: string; application_version: string | null }[];
}

const TYPES = [
  ["test", "Tests"],
  ["module", "Pages"],
  ["adapter", "Browser drivers"],
] as const;

/** Reliability per test, page and driver; one entity's pass rate and flakiness over time, with its runs. */
export const reliabilityView: View = async (main, route, ctx) => {
  const type = route.params.get("type") ?? "test";
  const bucket = route.params.get("bucket") ?? "run";
  const draw = async () => {
    const { scores } = await api<{ scores: Score[] }>(`/api/reliability${query({ entity_type: type })}`);
    scores.sort((a, b) => a.score - b.score || a.entity_id.localeCompare(b.entity_id));
    const id = route.params.get("id") ?? scores[0]?.entity_id;
    const history = id
      ? (
          await api<{ points: HistoryPoint[] }>(
            `/api/reliability/history${query({ entity_type: type, entity_id: id, bucket })}`,
          )
        ).points
      : [];
    const chosenPoint = Number(route.params.get("point") ?? history.length - 1);
    const point = history[chosenPoint];
    const when = (p: Point) =>
      bucket === "day"
        ? p.bucket
        : bucket === "hour"
          ? new Date(p.bucket).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" })
          : time(p.bucket);
    const tick = (p: Point) =>
      bucket === "run" ? new Date(p.bucket).toLocaleTimeString() : bucket === "hour" ? when(p) : p.bucket;
    const label = (p: Point) =>
      `${when(p)}: pass rate ${percent(p.pass_rate)}, flakiness ${percent(p.flakiness)}, ${p.runs.length} run${p.runs.length > 1 ? "s" : ""}`;
    render(
      main,
      html`<h1 tabindex="-1">Reliability</h1>
<p>Over finished runs: the pass rate, and flakiness, the share of runs whose outcome differs from the previous run of the same test version on the same application version (changing the test or the application is not flaking). The score weighs pass rate 0.5, stability 0.3 and recovery by healing 0.2.</p>
<ul class="subnav">${TYPES.map(([t, name]) => html`<li><a href="${hashOf("/reliability", { type: t })}"${t === type ? html` aria-current="page"` : ""}>${name}</a></li>`)}</ul>
${
  scores.length
    ? html`<table><caption class="visually-hidden">Reliability scores, least reliable first</caption><thead><tr><th scope="col">${TYPES.find(([t]) => t === type)?.[1] ?? type}</th><th scope="col" class="num">Score</th><th scope="col" class="num">Pass rate</th><th scope="col" class="num">Flakiness</th><th scope="col" class="num">Recovery</th><th scope="col" class="num">Runs</th></tr></thead><tbody>${scores.map(
        (s) =>
          html`<tr><td><a href="${hashOf("/reliability", { type, id: s.entity_id, bucket })}"${s.entity_id === id ? html` aria-current="true"` : ""}>${s.entity_id}</a></td><td class="num">${s.score.toFixed(2)}</td><td class="num">${percent(s.pass_rate)}</td><td class="num">${percent(s.flakiness)}</td><td class="num">${percent(s.recovery_rate)}</td><td class="num">${s.runs}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="notice">No finished runs yet.</p>`
}
${
  id
    ? html`<h2>${id} over time</h2>
<form class="toolbar" id="bucket-form"><div class="field"><label for="bucket">One point per</label><select id="bucket" name="bucket">${["run", "hour", "day"].map((b) => html`<option${b === bucket ? html` selected` : ""}>${b}</option>`)}</select></div></form>
${history.length ? reliabilityChart(history, label, tick, (i) => hashOf("/reliability", { type, id, bucket, point: i })) : html`<p class="muted">No finished run yet.</p>`}
${point ? html`<h3 id="point-runs">Runs behind ${when(point)}</h3><ul>${point.runs.map((r) => html`<li>${badge(r.passed ? "passed" : "failed")} <a href="#/runs/${r.run_id}">${r.run_id.slice(0, 8)}</a> ${time(r.completed_at)}${r.application_version ? ` · version ${r.application_version}` : ""}</li>`)}</ul>` : ""}
<details><summary>The numbers behind the chart</summary><table><thead><tr><th scope="col">Point</th><th scope="col" class="num">Runs</th><th scope="col" class="num">Pass rate</th><th scope="col" class="num">Flips / comparisons</th><th scope="col" class="num">Score so far</th></tr></thead><tbody>${history.map(
        (p, i) =>
          html`<tr><td><a href="${hashOf("/reliability", { type, id, bucket, point: i })}">${when(p)}</a></td><td class="num">${p.runs.length}</td><td class="num">${percent(p.pass_rate)}</td><td class="num">${p.flips} / ${p.comparisons}</td><td class="num">${p.score.toFixed(2)}</td></tr>`,
      )}</tbody></table></details>`
    : ""
}`,
    );
    main.querySelector<HTMLSelectElement>("#bucket")?.addEventListener("change", (event) => {
      location.hash = hashOf("/reliability", { type, id, bucket: (event.target as HTMLSelectElement).value });
    });
  };
  await draw();
  const refresh = debounce(() => void draw(), 1000);
  return ctx.live.subscribe((e) => {
    if (e.type === "RunCompleted") refresh();
  });
};
