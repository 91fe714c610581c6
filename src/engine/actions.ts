import type { Role } from "../domain/locators/locators.js";
import type { StepOf, TargetSpec, TestStep } from "../domain/plan/model.js";
import type { BrowserSession, Target } from "../ports/browser.js";
import { pageHides, pageShows, runAssert, until } from "./checks.js";
import { StepFailure } from "./step-failure.js";

/** What an action needs from the step around it: finding elements, typing values, recording waits. */
export interface ActionContext {
  session: BrowserSession;
  find: (spec: TargetSpec, role: Role) => Promise<Target>;
  /** The text to type: secrets from memory, environment values and generated data filled in. */
  text: (raw: string, secret?: boolean) => string;
  /** Generated values in checks (`${data:email#buyer}`) as the run typed them. */
  data: (value: string) => string;
  url: (relative: string) => string;
  wait: (kind: WaitKind, durationMs: number, success: boolean) => void;
  timeoutMs: number;
}

export type WaitKind =
  | "locate"
  | "assert"
  | "navigation"
  | "network_idle"
  | "dom_quiet"
  | "visual_stability"
  | "fixed";

/** Does what the step says in the browser; returns what it checked or found, for the report. */
export async function act(ctx: ActionContext, step: TestStep): Promise<string | undefined> {
  const before = ctx.session.dialogs().length;
  const found = await actOn(ctx, step);
  // A dialog the step's action opened is part of what it did: its message and how it was answered.
  const dialogs = ctx.session
    .dialogs()
    .slice(before)
    .map(
      (d) =>
        `the ${d.type} ${JSON.stringify(d.message)} was ${d.accepted ? "accepted" : "dismissed"}${d.promptText !== undefined ? ` with ${JSON.stringify(d.promptText)}` : ""}`,
    );
  return [found, ...dialogs].filter(Boolean).join("; ") || undefined;
}

async function actOn(ctx: ActionContext, step: TestStep): Promise<string | undefined> {
  const { session } = ctx;
  switch (step.action) {
    case "navigate": {
      const url = ctx.url(step.params.url);
      const started = performance.now();
      await session.navigate(url, { waitUntil: step.params.wait_until ?? "load", timeoutMs: ctx.timeoutMs });
      ctx.wait("navigation", performance.now() - started, true);
      return `opened ${url}`;
    }
    case "go_back":
    case "go_forward":
      await session.history(step.action === "go_back" ? -1 : 1, { waitUntil: step.params.wait_until });
      return `now at ${await session.currentUrl()}`;
    case "reload":
      await session.reload({ waitUntil: step.params.wait_until });
      return undefined;
    case "click": {
      const p = step.params;
      const target = await ctx.find(p.target, "target");
      await session.click(target, { button: p.button, clickCount: p.click_count, modifiers: p.modifiers });
      return undefined;
    }
    case "type": {
      const p = step.params;
      const target = p.target ? await ctx.find(p.target, "target") : undefined;
      if (target && p.text !== undefined) {
        const text = ctx.text(p.text, p.secret);
        await session.type(target, text, { clear: p.clear ?? true, keystrokes: p.keystrokes === true });
      } else if (target) await session.click(target);
      if (p.key) await session.press(p.key);
      return undefined;
    }
    case "press":
      if (step.params.target) await session.click(await ctx.find(step.params.target, "target"));
      await session.press(step.params.key);
      return undefined;
    case "check":
      return setChecked(ctx, await ctx.find(step.params.target, "target"), step.params.checked);
    case "fill_form":
      return fillForm(ctx, step);
    case "select":
      await session.select(await ctx.find(step.params.target, "target"), step.params.values);
      return undefined;
    case "hover":
      await session.hover(await ctx.find(step.params.target, "target"));
      return undefined;
    case "drag_drop": {
      const source = await ctx.find(step.params.source, "source");
      await session.dragAndDrop(source, await ctx.find(step.params.destination, "destination"));
      return undefined;
    }
    case "upload_file":
      await session.uploadFiles(await ctx.find(step.params.target, "target"), step.params.files);
      return undefined;
    case "scroll":
      if (step.params.target) await session.scrollIntoView(await ctx.find(step.params.target, "target"));
      else await session.scrollTo({ x: step.params.x ?? 0, y: step.params.y ?? 0 });
      return undefined;
    case "execute_script": {
      const value = await session.executeScript(step.params.script, ...(step.params.args ?? []));
      return JSON.stringify(value)?.slice(0, 500);
    }
    case "wait":
      return waitFor(ctx, step);
    case "assert": {
      const p = step.params;
      const resolved = {
        ...p,
        ...(p.text !== undefined ? { text: ctx.data(p.text) } : {}),
        ...(p.not_text !== undefined ? { not_text: ctx.data(p.not_text) } : {}),
        ...(p.value !== undefined ? { value: ctx.data(p.value) } : {}),
      };
      const { checked, waitedMs } = await runAssert(
        resolved,
        session,
        (spec) => ctx.find(spec, "target"),
        ctx.timeoutMs,
      );
      ctx.wait("assert", waitedMs, true);
      return checked;
    }
    case "dialog":
      return answerDialog(ctx, step);
    case "switch_tab": {
      const p = step.params;
      const tab = await session.switchTab(
        { index: p.index, urlContains: p.url_contains, titleContains: p.title_contains },
        { timeoutMs: ctx.timeoutMs },
      );
      return `now on tab ${tab.index}: ${tab.title || tab.url}`;
    }
    case "close_tab": {
      const tab = await session.closeTab(step.params.index);
      return `closed; now on tab ${tab.index}: ${tab.title || tab.url}`;
    }
  }
}

/**
 * A dialog blocks the page until answered, so the answer is set for the next one; a dialog that already
 * opened without one was dismissed, which is what the step asked only when it asked to dismiss (or for an
 * alert, where both are the same).
 */
function answerDialog(ctx: ActionContext, step: StepOf<"dialog">): string {
  const p = step.params;
  const earlier = ctx.session.answerDialog({ accept: p.accept, promptText: p.prompt_text });
  if (!earlier)
    return `the next dialog will be ${p.accept ? "accepted" : "dismissed"}${p.prompt_text !== undefined ? ` with ${JSON.stringify(p.prompt_text)}` : ""}`;
  if (p.accept && earlier.type !== "alert")
    throw new StepFailure(
      `the ${earlier.type} ${JSON.stringify(earlier.message)} opened before this step and was dismissed; put the dialog step before the action that opens it`,
      false,
    );
  return `the ${earlier.type} said ${JSON.stringify(earlier.message)}`;
}

async function waitFor(ctx: ActionContext, step: StepOf<"wait">): Promise<string | undefined> {
  const p = step.params;
  if (p.ms !== undefined) {
    await new Promise((r) => setTimeout(r, p.ms));
    ctx.wait("fixed", p.ms, true);
    return undefined;
  }
  if (p.target) {
    await ctx.find(p.target, "target");
    return undefined;
  }
  if (p.text !== undefined || p.not_text !== undefined) {
    const ms =
      p.text !== undefined
        ? await pageShows(ctx.session, ctx.data(p.text), ctx.timeoutMs)
        : await pageHides(ctx.session, ctx.data(p.not_text!), ctx.timeoutMs);
    ctx.wait("assert", ms, true);
    return p.text !== undefined ? `"${p.text}" appeared` : `"${p.not_text}" went`;
  }
  const kind = p.for!;
  const waited =
    kind === "network_idle"
      ? await ctx.session.waits.networkIdle({ timeoutMs: ctx.timeoutMs })
      : kind === "dom_quiet"
        ? await ctx.session.waits.domQuiet({ timeoutMs: ctx.timeoutMs })
        : await ctx.session.waits.visualStability({ timeoutMs: ctx.timeoutMs });
  ctx.wait(kind, waited.durationMs, waited.success);
  if (!waited.success) throw new StepFailure(waited.reason);
  return undefined;
}

/** Checks or unchecks a box, radio or switch: clicked only when it is not already as wanted. */
async function setChecked(ctx: ActionContext, target: Target, wanted: boolean): Promise<string> {
  const isChecked = async () => (await ctx.session.describe(target))?.states.checked === true;
  if ((await isChecked()) === wanted) return wanted ? "already checked" : "already unchecked";
  await ctx.session.click(target);
  await until(
    async () =>
      (await isChecked()) === wanted ? true : `clicking it did not ${wanted ? "check" : "uncheck"} it`,
    Math.min(ctx.timeoutMs, 2_000),
  );
  return wanted ? "checked" : "unchecked";
}

/** Several fields in one step: text typed, selects chosen, boxes and radios set, each found on its own. */
async function fillForm(ctx: ActionContext, step: StepOf<"fill_form">): Promise<string> {
  for (const [i, field] of step.params.fields.entries()) {
    const target = await ctx.find(field.target, `field${i}`);
    if (typeof field.value === "boolean") {
      await setChecked(ctx, target, field.value);
      continue;
    }
    const described = await ctx.session.describe(target);
    if (described?.tag === "select") await ctx.session.select(target, [field.value]);
    else await ctx.session.type(target, ctx.text(field.value, field.secret), { clear: true });
  }
  return `filled ${step.params.fields.length} fields`;
}
