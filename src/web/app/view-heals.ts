import { html, percent, type Safe } from "../ui/html.js";
import type { Box, Shot } from "../ui/model.js";
import { screenshot } from "../ui/shot.js";
import { badge } from "../ui/step.js";
import { api, query } from "./api.js";
import { announce, type Ctx, debounce, hashOf, on, render, time, type View } from "./dom.js";

interface Element {
  role: string;
  name: string;
  tag: string;
}
interface Details {
  healing_id: string;
  run_id: string;
  plan_id: string | null;
  plan_name: string | null;
  application_version: string | null;
  step_id: string;
  step_index: number;
  step_description: string;
  decision: string;
  decision_words: string;
  confidence_words: string;
  successful: boolean | null;
  review: { approved: boolean; reviewer: string; note?: string; at: string } | null;
  healed_at: string;
  old_locator: string | null;
  new_locator: string;
  was: {
    run_id: string;
    application_version: string | null;
    shot: Shot | null;
    box: Box;
    element: Element;
  } | null;
  now: { shot: Shot | null; box: Box; element: Element };
  after: Shot | null;
  evidence: {
    model: "learned";
    confidence: number;
    utility: number;
    removed_utility: number;
    parts: {
      feature: string;
      label: string;
      weight: number;
      evidence: number;
      contribution: number;
      says: string;
      recorded: string;
      found: string;
    }[];
  } | null;
  learned_now: { locator: string; source: string; run_id: string } | null;
}
interface Row {
  healing_id: string;
  run_id: string;
  review: string;
  created_at: string;
  details: Details | null;
}

const element = (e: Element) => `${e.role} “${e.name || e.tag}”`;

function card(h: Details, row: Row, ctx: Ctx): Safe {
  const pending = row.review === "pending";
  const id = h.healing_id;
  const verified =
    h.successful === true
      ? "the next check passed"
      : h.successful === false
        ? "the next check failed"
        : "not verified yet";
  return html`<article class="card heal" data-heal="${id}" aria-labelledby="h-${id}">
<header>${ctx.can("admin") && pending ? html`<input type="checkbox" id="sel-${id}" data-select="${id}" aria-label="Select the heal of ${h.step_description}">` : ""}
<h2 id="h-${id}">${h.step_description}</h2>${badge(row.review === "pending" ? "pending-review" : row.review)}</header>
<p class="meta">${h.plan_name ?? h.plan_id ?? ""} · <a href="${hashOf(`/runs/${h.run_id}`, { step: h.step_index })}">run ${h.run_id.slice(0, 8)}, step ${h.step_index + 1}</a>${h.application_version ? ` · version ${h.application_version}` : ""} · healed ${time(h.healed_at)}</p>
<p>Was <code>${h.old_locator ?? "?"}</code>, now <code>${h.new_locator}</code>: confidence <strong>${h.confidence_words}</strong>; ${h.decision_words}; ${verified}.</p>
<div class="shots">${
    h.was?.shot
      ? html`<figure>${screenshot(h.was.shot, [{ box: h.was.box, kind: "was" }], `Before: ${element(h.was.element)} as learned in version ${h.was.application_version ?? "?"}, outlined`, { zoom: 2.5 })}<figcaption><span class="key k-was" aria-hidden="true"></span>Before: ${element(h.was.element)}, as learned in <a href="#/runs/${h.was.run_id}">run ${h.was.run_id.slice(0, 8)}</a>${h.was.application_version ? ` (version ${h.was.application_version})` : ""}</figcaption></figure>`
      : html`<p class="muted">No screenshot of the element as it was learned.</p>`
  }${
    h.now.shot
      ? html`<figure>${screenshot(h.now.shot, [{ box: h.now.box, kind: "now" }], `After: ${element(h.now.element)} found when healing, outlined`, { zoom: 2.5 })}<figcaption><span class="key k-now" aria-hidden="true"></span>After: ${element(h.now.element)}, found when healing</figcaption></figure>`
      : ""
  }${h.after ? html`<figure>${screenshot(h.after, [], "The page after the healed step")}<figcaption>The page after the step</figcaption></figure>` : ""}</div>
${
  h.evidence
    ? html`<details><summary>Evidence: what the healing model weighed (${h.evidence.parts.length} features), confidence ${percent(h.evidence.confidence)}</summary><p>Each feature compares the element as learned with the element found; its contribution is its fitted weight times how far they agree (from −1 to +1). The contributions add up to ${h.evidence.utility.toFixed(2)}, against ${h.evidence.removed_utility.toFixed(2)} for “the element is gone”; the confidence is this element's share among every element on the page and that alternative.</p><table class="evidence"><thead><tr><th scope="col">Feature</th><th scope="col">Says</th><th scope="col" class="num">Contribution</th><th scope="col">Before</th><th scope="col">After</th></tr></thead><tbody>${h.evidence.parts.map(
        (p) =>
          html`<tr><td>${p.label}</td><td>${p.says}</td><td class="num">${p.contribution > 0 ? "+" : ""}${p.contribution.toFixed(2)}</td><td>${p.recorded}</td><td>${p.found}</td></tr>`,
      )}</tbody></table></details>`
    : ""
}
<p>${h.learned_now ? html`The plan finds this element now by <code data-learned="${id}">${h.learned_now.locator}</code> (${h.learned_now.source === "approved" ? "approved by a person" : h.learned_now.source === "healed" ? "healed automatically" : "as located"}).` : "The plan has learned no locator for this element yet."}</p>
${
  row.review !== "pending" && h.review
    ? html`<p class="notice ${h.review.approved ? "good" : "bad"}">${h.review.approved ? "Approved" : "Rejected"} by ${h.review.reviewer} ${time(h.review.at)}${h.review.note ? html`: “${h.review.note}”` : ""}.</p>`
    : ctx.can("admin")
      ? html`<div class="actions"><button type="button" class="primary" data-verdict="approve" data-id="${id}" data-run="${h.run_id}">Approve</button><button type="button" class="danger" data-verdict="reject" data-id="${id}" data-run="${h.run_id}">Reject</button></div>`
      : html`<p class="muted">Approving or rejecting needs an admin key; this key is a ${ctx.me.role}.</p>`
}
</article>`;
}

/** The heal review queue across runs: each heal shown as a reviewer needs it, decided one by one or in bulk. */
export const healsView: View = async (main, route, ctx) => {
  const review = route.params.get("review") ?? "pending";
  const run = route.params.get("run");
  render(
    main,
    html`<h1 tabindex="-1">Heal review</h1>
<p>When a recorded locator stops matching, TestDriver looks for the element again and scores how alike the candidate is. Heals from 80 to 90 % are used in their run but become the plan's locator only once a person approves them; 70 to 80 % wait for approval before being used at all. A verdict is recorded as an event, like everything else.</p>
<ul class="subnav">${["pending", "approved", "rejected", "all"].map((r) => html`<li><a href="${hashOf("/heals", { review: r, run })}"${r === review ? html` aria-current="page"` : ""}>${r === "pending" ? "Awaiting review" : r[0]!.toUpperCase() + r.slice(1)}</a></li>`)}</ul>
${run ? html`<p class="notice">Only the heals of run <code>${run.slice(0, 8)}</code>. <a href="${hashOf("/heals", { review })}">Show every run's</a></p>` : ""}
<div id="bulk"></div><div id="verdicts" role="status"></div><div id="queue" class="cards"></div>`,
  );
  const queue = main.querySelector("#queue")!;
  let rows: Row[] = [];
  const load = async () => {
    const data = await api<{ heals: Row[] }>(
      `/api/heals${query({ review: review === "all" ? undefined : review, run_id: run, details: "true", limit: 200 })}`,
    );
    rows = data.heals
      .filter((r) => r.details)
      .sort((a, b) =>
        a.run_id === b.run_id
          ? a.details!.step_index - b.details!.step_index
          : b.created_at.localeCompare(a.created_at),
      );
    const pending = rows.filter((r) => r.review === "pending");
    render(
      main.querySelector("#bulk")!,
      ctx.can("admin") && pending.length
        ? html`<form id="bulk-form" class="toolbar" aria-label="Decide several heals"><div><input type="checkbox" id="select-all"> <label for="select-all">Select all ${pending.length} awaiting review</label></div>
<div class="field"><label for="note">Note (optional)</label><input id="note" name="note" size="30"></div>
<button type="submit" class="primary" data-bulk="approve">Approve selected</button><button type="submit" class="danger" data-bulk="reject">Reject selected</button></form>`
        : html``,
    );
    render(
      queue,
      rows.length
        ? html`${rows.map((r) => card(r.details!, r, ctx))}`
        : html`<p class="notice">${review === "pending" ? "No heal awaits review." : "No heals here."}</p>`,
    );
  };
  await load();
  const decide = async (items: { id: string; run: string }[], approve: boolean) => {
    const note = (main.querySelector<HTMLInputElement>("#note")?.value ?? "").trim();
    const results: string[] = [];
    for (const item of items) {
      try {
        await api(`/api/runs/${item.run}/heals/${item.id}/review`, {
          method: "POST",
          body: { approved: approve, ...(note ? { note } : {}) },
        });
        results.push(
          `${rows.find((r) => r.healing_id === item.id)?.details?.step_description}: ${approve ? "approved" : "rejected"}`,
        );
      } catch (error) {
        results.push(`${item.id.slice(0, 8)}: ${(error as Error).message}`);
      }
    }
    const verdicts = main.querySelector<HTMLElement>("#verdicts")!;
    render(verdicts, html`<p class="notice good" tabindex="-1">${results.join("; ")}.</p>`);
    announce(`${items.length} heal${items.length > 1 ? "s" : ""} ${approve ? "approved" : "rejected"}`);
    await load();
    // The buttons pressed are gone with the verdict: the keyboard goes to the result.
    verdicts.querySelector<HTMLElement>(".notice")?.focus();
  };
  const cleanups = [
    on(
      main,
      "click",
      "[data-verdict]",
      (_e, t) => void decide([{ id: t.dataset.id!, run: t.dataset.run! }], t.dataset.verdict === "approve"),
    ),
    on(main, "change", "#select-all", (_e, t) => {
      for (const box of main.querySelectorAll<HTMLInputElement>("[data-select]"))
        box.checked = (t as HTMLInputElement).checked;
    }),
    on<SubmitEvent>(main, "submit", "#bulk-form", (e) => {
      e.preventDefault();
      const approve = (e.submitter as HTMLElement | null)?.dataset.bulk !== "reject";
      const chosen = [...main.querySelectorAll<HTMLInputElement>("[data-select]:checked")].map((b) => ({
        id: b.dataset.select!,
        run: rows.find((r) => r.healing_id === b.dataset.select)!.run_id,
      }));
      if (chosen.length === 0) {
        render(
          main.querySelector("#verdicts")!,
          html`<p class="notice bad">Select at least one heal first.</p>`,
        );
        return;
      }
      void decide(chosen, approve);
    }),
  ];
  const refresh = debounce(() => void load(), 500);
  cleanups.push(
    ctx.live.subscribe((e) => {
      if (e.type === "LocatorHealed" || e.type === "HealingReviewed" || e.type === "LocatorLearned")
        refresh();
    }),
  );
  return () => {
    for (const c of cleanups) c();
  };
};
