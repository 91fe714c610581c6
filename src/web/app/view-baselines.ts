import { html } from "../ui/html.js";
import type { Shot } from "../ui/model.js";
import { screenshot } from "../ui/shot.js";
import { badge } from "../ui/step.js";
import { api } from "./api.js";
import { type Detection, diffViewer, wireDiff } from "./diff.js";
import { type Ctx, debounce, formValues, hashOf, type Route, render, time, type View } from "./dom.js";

interface BaselineRow {
  baseline_id: string;
  page_identifier: string;
  application_version: string;
  url: string;
  status: string;
  approved_by: string | null;
  approved_at: string | null;
  detections: number;
  last_severity: string | null;
  updated_at: string;
}

interface BaselineDetail {
  baseline: BaselineRow | null;
  captures: { at: string; url: string; run_id: string | null; shot: Shot }[];
  approvals: { at: string; approved_by: string; note?: string }[];
  detections: Detection[];
}

async function list(main: HTMLElement, ctx: Ctx) {
  const { baselines } = await api<{ baselines: BaselineRow[] }>("/api/baselines");
  render(
    main,
    html`<h1 tabindex="-1">Baselines and drift</h1>
<p>A baseline is how a page looked at an application version, once a person approved it. Drift checks compare a page now with its approved baseline: pixels, layout and the accessible structure.</p>
${
  baselines.length
    ? html`<table><caption class="visually-hidden">Baselines by page and version</caption><thead><tr><th scope="col">Page</th><th scope="col">Version</th><th scope="col">Status</th><th scope="col">Approved</th><th scope="col" class="num">Checks</th><th scope="col">Last drift</th></tr></thead><tbody>${baselines.map(
        (b) =>
          html`<tr><td><a href="#/baselines/${b.baseline_id}">${b.page_identifier}</a><div class="muted">${b.url}</div></td><td>${b.application_version}</td><td>${badge(b.status === "captured" ? "captured" : "approved")}${b.status === "captured" ? html` <span class="muted">awaits approval</span>` : ""}</td><td>${b.approved_by ? `${b.approved_by}, ${time(b.approved_at)}` : "–"}</td><td class="num">${b.detections}</td><td>${b.last_severity ? badge(b.last_severity) : "–"}</td></tr>`,
      )}</tbody></table>`
    : html`<p class="notice">No baselines yet. Capture one below, or start a run that captures the pages it visits.</p>`
}
${
  ctx.can("runner")
    ? html`<h2>Capture a page</h2><form id="capture" class="toolbar"><div class="field"><label for="c-url">URL</label><input id="c-url" name="url" type="url" required size="34"></div><div class="field"><label for="c-page">Page identifier</label><input id="c-page" name="page" required placeholder="/login" size="12"></div><div class="field"><label for="c-version">Application version</label><input id="c-version" name="version" required size="6"></div><button type="submit">Capture</button></form><div id="capture-result" role="status"></div>`
    : ""
}`,
  );
  main.querySelector<HTMLFormElement>("#capture")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = formValues(event.target as HTMLFormElement);
    try {
      const r = await api<{ baseline_id: string }>("/api/baselines", {
        method: "POST",
        body: { url: v.url, page: v.page, app_version: v.version },
      });
      location.hash = `#/baselines/${r.baseline_id}`;
    } catch (error) {
      render(
        main.querySelector("#capture-result")!,
        html`<p class="notice bad">${(error as Error).message}</p>`,
      );
    }
  });
}

async function detail(main: HTMLElement, route: Route, ctx: Ctx) {
  const id = route.path[1]!;
  const d = await api<BaselineDetail>(`/api/baselines/${id}`);
  const b = d.baseline;
  // The same page on each application the service knows (another version of the app, say), to check against.
  const { plans } = await api<{ plans: { applications: { url: string; version: string | null }[] }[] }>(
    "/api/plans",
  );
  const path = b ? new URL(b.url).pathname : "/";
  const elsewhere = [
    ...new Map(
      plans
        .flatMap((p) => p.applications)
        .map((a) => [`${new URL(a.url).origin}${path}`, a.version] as const),
    ),
  ];
  const capture = d.captures.at(-1);
  const chosen = d.detections.find((x) => x.detection_id === route.params.get("check")) ?? d.detections[0];
  let mode = route.params.get("mode") ?? "side";
  render(
    main,
    html`<p class="muted"><a href="#/baselines">Baselines</a> › ${b?.page_identifier ?? id}</p>
<h1 tabindex="-1">Baseline of ${b?.page_identifier ?? "?"}, version ${b?.application_version ?? "?"} ${b ? badge(b.status) : ""}</h1>
<p class="meta">${b?.url ?? ""} · captured ${time(capture?.at)}${capture?.run_id ? html` in <a href="#/runs/${capture.run_id}">run ${capture.run_id.slice(0, 8)}</a>` : ""}${b?.approved_by ? ` · approved by ${b.approved_by}, ${time(b.approved_at)}` : ""}</p>
${capture ? html`<figure class="baseline">${screenshot(capture.shot, [], `The baseline of ${b?.page_identifier}`)}<figcaption>The capture${b?.status === "approved" ? ", approved as the reference" : ", not yet approved"}</figcaption></figure>` : ""}
<div id="baseline-actions">${
      b?.status === "captured"
        ? ctx.can("admin")
          ? html`<form id="approve" class="toolbar"><div class="field"><label for="a-note">Note (optional)</label><input id="a-note" name="note" size="30"></div><button class="primary" type="submit">Approve this baseline</button></form>`
          : html`<p class="muted">Approving a baseline needs an admin key; this key is a ${ctx.me.role}.</p>`
        : ""
    }${
      b?.status === "approved" && ctx.can("runner")
        ? html`<form id="check" class="toolbar"><div class="field"><label for="k-url">Check this page now against the baseline</label><input id="k-url" name="url" type="url" size="40" value="${b.url}" required list="k-urls" aria-describedby="k-help"><datalist id="k-urls">${elsewhere.map(([url, version]) => html`<option value="${url}">${version ? `version ${version}` : ""}</option>`)}</datalist><span id="k-help" class="muted">This page, or the same page on another version of the application.</span></div><button type="submit">Check for drift</button></form>`
        : ""
    }</div><div id="baseline-result" role="status"></div>
<h2>Drift checks</h2>
${d.detections.length ? html`<ul>${d.detections.map((x) => html`<li><a href="${hashOf(`/baselines/${id}`, { check: x.detection_id })}"${x === chosen ? html` aria-current="true"` : ""}>${time(x.at)}</a> ${badge(x.severity)} ${x.description}</li>`)}</ul>` : html`<p class="muted">No drift check against this baseline yet.</p>`}
<div id="viewer"></div>`,
  );
  const viewer = main.querySelector("#viewer")!;
  const show = () => {
    if (!chosen) return;
    render(viewer, diffViewer(chosen, mode));
    viewer
      .querySelector<HTMLInputElement>("#diff-range")
      ?.dispatchEvent(new Event("input", { bubbles: true }));
  };
  show();
  const result = main.querySelector("#baseline-result")!;
  main.querySelector<HTMLFormElement>("#approve")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { note } = formValues(event.target as HTMLFormElement);
    try {
      await api(`/api/baselines/${id}/approve`, {
        method: "POST",
        body: { screenshot_hash: capture?.shot.hash, ...(note ? { note } : {}) },
      });
      await detail(main, route, ctx);
      render(
        main.querySelector("#baseline-result")!,
        html`<p class="notice good">Approved: drift checks now compare with this capture.</p>`,
      );
      (main.querySelector("h1") as HTMLElement).focus();
    } catch (error) {
      render(result, html`<p class="notice bad">${(error as Error).message}</p>`);
    }
  });
  main.querySelector<HTMLFormElement>("#check")?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const { url } = formValues(event.target as HTMLFormElement);
    render(result, html`<p class="notice">Checking ${url}…</p>`);
    try {
      const r = await api<{ detection_id: string }>("/api/drift/check", {
        method: "POST",
        body: { url, page: b!.page_identifier, app_version: b!.application_version },
      });
      location.hash = hashOf(`/baselines/${id}`, { check: r.detection_id });
    } catch (error) {
      render(result, html`<p class="notice bad">${(error as Error).message}</p>`);
    }
  });
  return wireDiff(viewer, (m) => {
    mode = m;
    history.replaceState(null, "", hashOf(`/baselines/${id}`, { check: chosen?.detection_id, mode }));
    show();
    viewer.querySelector<HTMLInputElement>(`#mode-${m}`)?.focus();
  });
}

/** Visual baselines per page and version; one baseline with its drift checks and the diff viewer. */
export const baselinesView: View = async (main, route, ctx) => {
  if (route.path[1]) return detail(main, route, ctx);
  await list(main, ctx);
  // Not while someone is typing in the capture form: a refresh would drop what they typed.
  const refresh = debounce(() => {
    if (!(document.activeElement instanceof HTMLInputElement && main.contains(document.activeElement)))
      void list(main, ctx);
  }, 500);
  return ctx.live.subscribe((e) => {
    if (e.type === "BaselineCaptured" || e.type === "BaselineApproved" || e.type === "DriftDetected")
      refresh();
  });
};
