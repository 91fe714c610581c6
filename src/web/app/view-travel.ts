import { html, type Safe } from "../ui/html.js";
import { screenshot } from "../ui/shot.js";
import { badge } from "../ui/step.js";
import { api } from "./api.js";
import { debounce, hashOf, on, type Route, render } from "./dom.js";
import type { Timeline } from "./timeline.js";

interface RunEvent {
  streamVersion: number;
  type: string;
  data: { index?: number };
  recordedAt: string;
}

interface StateAt {
  version: number;
  status: string;
  current_step: { index: number; description: string; status: string } | null;
  snapshot: {
    snapshot_hash: string;
    screenshot_hash?: string;
    url: string;
    title: string;
    index?: number;
  } | null;
  screenshot_url: string | null;
  state: { steps: { index: number; description: string; status: string }[] };
}

interface Snapshot {
  url: string;
  pageTitle: string;
  viewport: { width: number; height: number };
  scrollPosition: { x: number; y: number };
  cookies: { name: string; value: string; domain?: string; httpOnly?: boolean; sameSite?: string }[];
  localStorage: Record<string, string>;
  sessionStorage: Record<string, string>;
}

const ENDS = new Set(["StepPassed", "StepFailed", "StepSkipped"]);

const WORDS: Record<string, string> = {
  RunRequested: "the run was requested",
  PlanGenerated: "the plan was recorded",
  PlanGenerationFailed: "planning failed",
  RunStarted: "the browser started",
  StepStarted: "started",
  ElementLocated: "element found",
  WaitObserved: "waited",
  HealingAttempted: "locator stopped matching; healing",
  LocatorHealed: "locator healed",
  HealingVerified: "heal checked",
  HealingReviewed: "heal reviewed",
  SnapshotCaptured: "page snapshot taken",
  StepPassed: "passed",
  StepFailed: "failed",
  StepSkipped: "skipped",
  AccessibilityScanned: "accessibility scanned",
  PerformanceMeasured: "page load measured",
  SecurityChecked: "security checked",
  DriftDetected: "drift checked",
  RunCompleted: "the run finished",
  RunStopped: "the run stopped",
  RunResumed: "the run resumed",
  RunHealing: "re-running failed steps",
  RunTakenOver: "another worker took the run over",
  StepDropped: "dropped by the agent",
  StepAdded: "added by the agent",
  RequestRefused: "a request was refused by the network gate",
};

/** An event in words: "step 3 (Type into Password field): passed". */
function eventLabel(e: RunEvent | undefined, t: Timeline): string {
  if (!e) return "";
  const step = e.data.index !== undefined ? t.steps[e.data.index] : undefined;
  const what = WORDS[e.type] ?? e.type;
  return step ? `step ${step.index + 1} (${step.description}): ${what}` : what;
}

const storage = (title: string, entries: [string, string][]) =>
  html`<h4>${title}</h4>${entries.length ? html`<dl class="kv">${entries.map(([k, v]) => html`<dt>${k}</dt><dd>${v.length > 120 ? `${v.slice(0, 120)}…` : v}</dd>`)}</dl>` : html`<p class="muted">empty</p>`}`;

function statePanel(runId: string, at: StateAt, snap: Snapshot | undefined, label: string): Safe {
  const shot = at.snapshot?.screenshot_hash
    ? {
        hash: at.snapshot.screenshot_hash,
        width: snap?.viewport.width ?? 1280,
        height: snap?.viewport.height ?? 720,
        url: `/api/runs/${runId}/artifacts/${at.snapshot.screenshot_hash}`,
      }
    : null;
  return html`<h3 id="travel-state">At version ${at.version}: ${label}</h3>
<dl class="kv"><dt>Run status</dt><dd>${badge(at.status)}</dd>
<dt>Current step</dt><dd>${at.current_step ? `${at.current_step.index + 1}: ${at.current_step.description} (${at.current_step.status})` : "none (between steps)"}</dd>
<dt>URL</dt><dd id="travel-url">${at.snapshot?.url ?? "no page yet"}</dd><dt>Title</dt><dd>${at.snapshot?.title ?? "–"}</dd>
${snap ? html`<dt>Scroll</dt><dd>${snap.scrollPosition.x}, ${snap.scrollPosition.y}</dd>` : ""}</dl>
<div class="shots">${shot ? html`<figure>${screenshot(shot, [], `The page at version ${at.version}`)}<figcaption>The page as the last snapshot before this point saw it</figcaption></figure>` : html`<p class="muted">No screenshot before this point.</p>`}
<div><h4>Steps at this point</h4><ol>${at.state.steps.map((s) => html`<li>${badge(s.status)} ${s.description}</li>`)}</ol></div></div>
${
  snap
    ? html`<div class="facets"><section><h4>Cookies</h4>${snap.cookies.length ? html`<table><thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Flags</th></tr></thead><tbody>${snap.cookies.map((c) => html`<tr><td>${c.name}</td><td><code>${c.value.length > 24 ? `${c.value.slice(0, 24)}…` : c.value}</code></td><td>${[c.httpOnly ? "HttpOnly" : "", c.sameSite ?? ""].filter(Boolean).join(", ")}</td></tr>`)}</tbody></table>` : html`<p class="muted">none</p>`}</section>
<section>${storage("Local storage", Object.entries(snap.localStorage))}</section><section>${storage("Session storage", Object.entries(snap.sessionStorage))}</section></div>`
    : ""
}`;
}

/** The run at any of its versions: a scrubber over its events, and the state folded up to that point. */
export async function travelPanel(el: Element, t: Timeline, route: Route) {
  const runId = t.run.run_id;
  const { events } = await api<{ events: RunEvent[] }>(`/api/runs/${runId}/events?limit=1000`);
  const max = events.length;
  const asked = Number(route.params.get("v"));
  let version = asked >= 1 && asked <= max ? asked : max;
  const stepEnds = events.filter((e) => ENDS.has(e.type));
  render(
    el,
    html`<h2>Time travel</h2>
<p class="muted">Each event of the run is a version; the state at a version is the run's events up to it, folded again (<code>GET /api/runs/:id/state?at=</code>).</p>
<div class="field"><label for="scrub">Point in the run (event ${1}–${max})</label>
<input id="scrub" class="scrub" type="range" min="1" max="${max}" step="1" value="${version}"></div>
<div class="toolbar"><button type="button" data-jump="-1">Previous step</button><button type="button" data-jump="1">Next step</button>
<div class="field"><label for="jump-step">Jump to the end of step</label><select id="jump-step"><option value="">choose…</option>${stepEnds.map((e) => html`<option value="${e.streamVersion}">${(e.data.index ?? 0) + 1}: ${t.steps[e.data.index ?? 0]?.description ?? ""}</option>`)}</select></div></div>
<p id="scrub-label" class="meta" aria-live="polite"></p>
<div id="travel"></div>`,
  );
  const scrub = el.querySelector<HTMLInputElement>("#scrub")!;
  const panel = el.querySelector("#travel")!;
  const show = async () => {
    const label = eventLabel(events[version - 1], t);
    scrub.value = String(version);
    scrub.setAttribute("aria-valuetext", `version ${version} of ${max}: ${label}`);
    el.querySelector("#scrub-label")!.textContent = `Version ${version} of ${max}: ${label}`;
    history.replaceState(null, "", hashOf(`/runs/${runId}/time`, { v: version }));
    const at = await api<StateAt>(`/api/runs/${runId}/state?at=${version}`);
    if (at.version !== version) return;
    const snap = at.snapshot
      ? await api<Snapshot>(`/api/runs/${runId}/artifacts/${at.snapshot.snapshot_hash}`).catch(
          () => undefined,
        )
      : undefined;
    if (Number(scrub.value) === version) render(panel, statePanel(runId, at, snap, label));
  };
  const later = debounce(() => void show(), 120);
  scrub.addEventListener("input", () => {
    version = Number(scrub.value);
    later();
  });
  const jumpSelect = el.querySelector<HTMLSelectElement>("#jump-step")!;
  jumpSelect.addEventListener("change", () => {
    if (!jumpSelect.value) return;
    version = Number(jumpSelect.value);
    void show();
  });
  const off = on(el, "click", "[data-jump]", (_e, target) => {
    const forward = target.dataset.jump === "1";
    const next = forward
      ? stepEnds.find((e) => e.streamVersion > version)
      : [...stepEnds].reverse().find((e) => e.streamVersion < version);
    if (next) {
      version = next.streamVersion;
      void show();
    }
  });
  await show();
  return off;
}
