import { html } from "../ui/html.js";
import { api } from "./api.js";
import { formValues, render, type View } from "./dom.js";

interface PlanEntry {
  plan_id: string;
  name: string;
  steps: number | null;
  applications: { url: string; version: string | null }[];
  secret_steps: { step_id: string; description: string }[];
  bundled: boolean;
  text?: string;
}

/** Starting a run: a known plan, requirements in sentences, or a plan's text; then watching it live. */
export const startView: View = async (main, route, ctx) => {
  if (!ctx.can("runner")) {
    render(
      main,
      html`<h1 tabindex="-1">Start a run</h1><p class="notice bad">Starting runs needs a runner or admin key; this key is a ${ctx.me.role}.</p>`,
    );
    return;
  }
  const { plans } = await api<{ plans: PlanEntry[] }>("/api/plans");
  const wanted = route.params.get("plan") ?? plans[0]?.plan_id ?? "";
  render(
    main,
    html`<h1 tabindex="-1">Start a run</h1>
<form id="start" class="stacked">
<fieldset><legend>What to run</legend>
<div><input type="radio" id="k-plan" name="kind" value="plan"${plans.length ? html` checked` : ""}> <label for="k-plan">A plan this service knows</label></div>
<div><input type="radio" id="k-req" name="kind" value="requirements"${plans.length ? "" : html` checked`}> <label for="k-req">Requirements in plain sentences</label></div>
<div><input type="radio" id="k-text" name="kind" value="text"> <label for="k-text">A plan file's text (YAML or JSON)</label></div>
</fieldset>
<div class="field" data-for="plan"><label for="plan">Plan</label><select id="plan" name="plan">${plans.map((p) => html`<option value="${p.plan_id}"${p.plan_id === wanted ? html` selected` : ""}>${p.name}${p.bundled ? " (bundled)" : ""}${p.steps ? ` · ${p.steps} steps` : ""}</option>`)}</select></div>
<div class="field" data-for="requirements"><label for="requirements">Requirements</label><textarea id="requirements" name="requirements" aria-describedby="req-help">Go to /login
Type alice@example.com into the Email field</textarea><span id="req-help" class="muted">One sentence a line: "Go to /login", "Click Sign in", "I should see Welcome". A sentence the rules do not understand is listed, and nothing runs.</span></div>
<div class="field" data-for="text"><label for="text">Plan text</label><textarea id="text" name="text" spellcheck="false"></textarea></div>
<div class="field"><label for="url">Application URL</label><input id="url" name="url" type="url" list="plan-apps" aria-describedby="url-help"><datalist id="plan-apps"></datalist><span id="url-help" class="muted">Overrides the plan's own application_url; needed for requirements.</span></div>
<div class="field"><label for="version">Application version</label><input id="version" name="version"></div>
<div id="secrets"></div>
<fieldset><legend>Visual baselines along the run (optional)</legend>
<div class="field"><label for="capture">Capture each page it visits as the baseline of version</label><input id="capture" name="capture"></div>
<div class="field"><label for="check">Check each page against the approved baselines of version</label><input id="check" name="check"></div>
</fieldset>
<div class="field"><label for="driver">Browser driver</label><select id="driver" name="driver"><option value="">server default</option><option>playwright</option><option>webdriverio</option></select></div>
<div id="start-error" role="alert"></div>
<div><button class="primary" type="submit">Start the run</button> <a href="#/runs">Cancel</a></div>
</form>`,
  );
  const form = main.querySelector<HTMLFormElement>("#start")!;
  const secrets = main.querySelector("#secrets")!;
  const chosen = () =>
    plans.find((p) => p.plan_id === (form.elements.namedItem("plan") as HTMLSelectElement).value);
  const sync = (fillApplication: boolean) => {
    const kind = formValues(form).kind;
    for (const el of main.querySelectorAll<HTMLElement>("[data-for]")) el.hidden = el.dataset.for !== kind;
    const plan = chosen();
    const apps = plan?.applications ?? [];
    render(
      main.querySelector("#plan-apps")!,
      html`${apps.map((a) => html`<option value="${a.url}">${a.version ?? ""}</option>`)}`,
    );
    if (fillApplication && kind === "plan" && apps[0]) {
      const fromRun = route.params.get("url");
      (form.elements.namedItem("url") as HTMLInputElement).value = fromRun ?? apps[0].url;
      (form.elements.namedItem("version") as HTMLInputElement).value =
        route.params.get("version") ?? apps[0].version ?? "";
    }
    render(
      secrets,
      kind === "plan" && plan?.secret_steps.length
        ? html`<fieldset><legend>Secret values</legend><p class="muted">This plan types secrets it never stored. Give them for this run; they are held in memory only.</p>${plan.secret_steps.map(
            (s) =>
              html`<div class="field"><label for="secret-${s.step_id}">Secret value for the step “${s.description}”</label><input id="secret-${s.step_id}" name="secret:${s.step_id}" type="password" autocomplete="off" required></div>`,
          )}</fieldset>`
        : html``,
    );
  };
  sync(true);
  form.addEventListener("change", (event) => {
    const name = (event.target as HTMLInputElement).name;
    if (name === "kind" || name === "plan") sync(name === "plan" || name === "kind");
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const v = formValues(form);
    const body: Record<string, unknown> = {};
    if (v.url) body.url = v.url;
    if (v.version) body.application_version = v.version;
    if (v.driver) body.driver = v.driver;
    if (v.capture || v.check)
      body.baselines = {
        ...(v.capture ? { capture: v.capture } : {}),
        ...(v.check ? { check: v.check } : {}),
      };
    const errorBox = main.querySelector("#start-error")!;
    try {
      if (v.kind === "requirements") body.requirements = v.requirements;
      else if (v.kind === "text") body.plan = v.text;
      else {
        const plan = chosen();
        if (!plan) throw new Error("choose a plan");
        if (plan.text) body.plan = plan.text;
        else {
          body.plan = (await api<{ plan: unknown }>(`/api/plans/${encodeURIComponent(plan.plan_id)}`)).plan;
          body.secrets = Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => k.startsWith("secret:"))
              .map(([k, value]) => [k.slice("secret:".length), value]),
          );
        }
      }
      const started = await api<{ run_id: string }>("/api/runs", { method: "POST", body });
      location.hash = `#/runs/${started.run_id}`;
    } catch (error) {
      render(errorBox, html`<p class="notice bad">The run was not started: ${(error as Error).message}</p>`);
    }
  });
  return undefined;
};
