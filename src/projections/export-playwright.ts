import type { Role } from "../domain/locators/locators.js";
import type { ParamsOf, TargetSpec, TestStep } from "../domain/plan/model.js";
import { ENV_REF, envRefs, MASK } from "../domain/plan/secrets.js";
import type { Located } from "../domain/run/events.js";
import { targetOfLocator } from "../domain/run/recorded-plan.js";
import type { RunDetails } from "./run-report/details.js";

const q = (value: unknown) => JSON.stringify(value);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The environment variable an exported test reads a masked secret from. */
export function secretVariable(stepId: string): string {
  return `TESTDRIVER_SECRET_${stepId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** A typed value as a JavaScript expression: literals quoted, env templates and secrets from process.env. */
function textExpression(text: string, stepId: string, secret?: boolean): string {
  if (secret === true || text === MASK) {
    const name = secretVariable(stepId);
    return `requiredEnv(${q(name)})`;
  }
  if (envRefs(text).length === 0) return q(text);
  const parts = text.split(ENV_REF);
  // split with a capture group alternates literal, variable name, literal...
  return parts.map((p, i) => (i % 2 === 1 ? `requiredEnv(${q(p)})` : q(p))).join(" + ");
}

function locatorExpression(spec: TargetSpec | undefined, located: Located | undefined): string {
  const recorded = located ? targetOfLocator(located.locator) : undefined;
  const chosen = recorded ?? (spec?.css || spec?.xpath ? spec : undefined);
  const root = chosen?.frame ? `page.frameLocator(${q(chosen.frame)})` : "page";
  if (chosen?.css) return `${root}.locator(${q(chosen.css)})`;
  if (chosen?.xpath) return `${root}.locator(${q(`xpath=${chosen.xpath}`)})`;
  // The run never resolved this element (it did not get that far): fall back to its description.
  const named = spec?.role
    ? `page.getByRole(${q(spec.role)}${spec.description ? `, { name: ${q(spec.description)} }` : ""})`
    : `page.getByText(${q(spec?.description ?? "")}, { exact: false })`;
  return `${named}.${spec?.nth ? `nth(${spec.nth - 1})` : "first()"}`;
}

const hasValue = (o: Record<string, unknown>) => Object.values(o).some((v) => v !== undefined);

/** One step as Playwright Test lines. */
export function stepLines(step: TestStep, located: Located[]): string[] {
  const loc = (spec: TargetSpec | undefined, role: Role = "target") =>
    locatorExpression(
      spec,
      located.find((l) => l.role === role),
    );
  const lines: string[] = [];
  const waitUntil = (w: string | undefined) => `{ waitUntil: ${q(w ?? "load")} }`;
  switch (step.action) {
    case "navigate":
      lines.push(
        `await page.goto(new URL(${q(step.params.url)}, BASE_URL).toString(), ${waitUntil(step.params.wait_until)});`,
      );
      break;
    case "go_back":
    case "go_forward":
      lines.push(
        `await page.${step.action === "go_back" ? "goBack" : "goForward"}(${waitUntil(step.params.wait_until)});`,
      );
      break;
    case "reload":
      lines.push(`await page.reload(${waitUntil(step.params.wait_until)});`);
      break;
    case "click": {
      const p = step.params;
      const options = { button: p.button, clickCount: p.click_count, modifiers: p.modifiers };
      lines.push(`await ${loc(p.target)}.click(${hasValue(options) ? q(options) : ""});`);
      break;
    }
    case "type": {
      const p = step.params;
      if (p.text !== undefined && p.target) {
        const text = textExpression(p.text, step.step_id, p.secret);
        if (p.keystrokes === true || p.clear === false) {
          if (p.clear !== false) lines.push(`await ${loc(p.target)}.fill("");`);
          lines.push(`await ${loc(p.target)}.pressSequentially(${text});`);
        } else lines.push(`await ${loc(p.target)}.fill(${text});`);
      } else if (p.target) lines.push(`await ${loc(p.target)}.click();`);
      if (p.key) lines.push(`await page.keyboard.press(${q(p.key)});`);
      break;
    }
    case "press":
      if (step.params.target) lines.push(`await ${loc(step.params.target)}.click();`);
      lines.push(`await page.keyboard.press(${q(step.params.key)});`);
      break;
    case "check":
      lines.push(`await ${loc(step.params.target)}.setChecked(${step.params.checked});`);
      break;
    case "fill_form":
      for (const [i, f] of step.params.fields.entries()) {
        const field = loc(f.target, `field${i}`);
        if (typeof f.value === "boolean") lines.push(`await ${field}.setChecked(${f.value});`);
        else lines.push(`await ${field}.fill(${textExpression(f.value, step.step_id, f.secret)});`);
      }
      break;
    case "select":
      lines.push(`await ${loc(step.params.target)}.selectOption(${q(step.params.values)});`);
      break;
    case "hover":
      lines.push(`await ${loc(step.params.target)}.hover();`);
      break;
    case "scroll": {
      const p = step.params;
      lines.push(
        p.target
          ? `await ${loc(p.target)}.scrollIntoViewIfNeeded();`
          : `await page.evaluate(([x, y]) => window.scrollTo(x, y), [${p.x ?? 0}, ${p.y ?? 0}]);`,
      );
      break;
    }
    case "drag_drop":
      lines.push(
        `await ${loc(step.params.source, "source")}.dragTo(${loc(step.params.destination, "destination")});`,
      );
      break;
    case "upload_file":
      lines.push(`await ${loc(step.params.target)}.setInputFiles(${q(step.params.files)});`);
      break;
    case "execute_script":
      lines.push(
        `await page.evaluate(({ script, args }) => new Function(script)(...args), { script: ${q(step.params.script)}, args: ${q(step.params.args ?? [])} });`,
      );
      break;
    case "dialog":
      lines.push(
        `page.once("dialog", (d) => ${step.params.accept ? `d.accept(${step.params.prompt_text !== undefined ? q(step.params.prompt_text) : ""})` : "d.dismiss()"});`,
      );
      break;
    case "switch_tab":
    case "close_tab":
      lines.push(`// ${step.description}: tabs are not exported; the file drives the first page only.`);
      break;
    case "wait":
      lines.push(...waitLines(step.params, loc));
      break;
    case "assert":
      lines.push(...assertLines(step.params, loc));
      break;
  }
  if (step.expected_outcome)
    lines.push(`await expect(page.locator("body")).toContainText(${q(step.expected_outcome)});`);
  return lines;
}

function waitLines(p: ParamsOf<"wait">, loc: (spec: TargetSpec | undefined) => string): string[] {
  if (p.ms !== undefined) return [`await page.waitForTimeout(${p.ms});`];
  if (p.target) return [`await ${loc(p.target)}.waitFor();`];
  if (p.text !== undefined) return [`await expect(page.locator("body")).toContainText(${q(p.text)});`];
  if (p.not_text !== undefined)
    return [`await expect(page.locator("body")).not.toContainText(${q(p.not_text)});`];
  return [`await page.waitForLoadState(${q(p.for === "network_idle" ? "networkidle" : "load")});`];
}

function assertLines(p: ParamsOf<"assert">, loc: (spec: TargetSpec | undefined) => string): string[] {
  const lines: string[] = [];
  const subject = p.target ? loc(p.target) : `page.locator("body")`;
  if (p.count !== undefined && p.target) {
    const all = loc(p.target).replace(/\.(first\(\)|nth\(\d+\))$/, "");
    return [`await expect(${all}).toHaveCount(${p.count});`];
  }
  if (p.text !== undefined) lines.push(`await expect(${subject}).toContainText(${q(p.text)});`);
  if (p.not_text !== undefined) lines.push(`await expect(${subject}).not.toContainText(${q(p.not_text)});`);
  if (p.url_contains !== undefined)
    lines.push(`await expect(page).toHaveURL(/${escapeRegExp(p.url_contains)}/);`);
  if (p.title_contains !== undefined)
    lines.push(`await expect(page).toHaveTitle(/${escapeRegExp(p.title_contains)}/);`);
  if (p.visible === true) lines.push(`await expect(${subject}).toBeVisible();`);
  if (p.visible === false) lines.push(`await expect(${subject}).toBeHidden();`);
  if (p.checked !== undefined)
    lines.push(`await expect(${subject})${p.checked ? "" : ".not"}.toBeChecked();`);
  if (p.value !== undefined) lines.push(`await expect(${subject}).toHaveValue(${q(p.value)});`);
  return lines;
}

/**
 * A run as a Playwright Test file (`npx playwright test`): the plan's steps in order, each element by the
 * locator the run resolved for it, so the file reproduces what TestDriver did without TestDriver. Secrets are
 * read from environment variables, never written into the file.
 */
export function exportPlaywright(state: RunDetails): string {
  const plan = state.plan;
  if (!plan) throw new Error(`run ${state.run_id} has no plan to export`);
  const steps = [...plan.setup_steps, ...plan.test_steps, ...plan.teardown_steps];
  const secrets = steps
    .filter(
      (s) =>
        (s.action === "type" && (s.params.secret === true || s.params.text === MASK)) ||
        (s.action === "fill_form" && s.params.fields.some((f) => f.secret)),
    )
    .map((s) => secretVariable(s.step_id));
  const body = steps.flatMap((step, i) => {
    const recorded = state.steps[i];
    const status = recorded ? ` (${recorded.status} in run)` : "";
    return [
      `  await test.step(${q(`${step.step_id}: ${step.description}`)}, async () => {`,
      ...(status.includes("pending") || status.includes("skipped")
        ? ["    // Not reached in the recorded run: the locator comes from the plan, not from the run."]
        : []),
      ...stepLines(step, recorded?.located ?? []).map((l) => `    ${l}`),
      "  });",
    ];
  });
  return `// Exported by TestDriver from run ${state.run_id} (${state.status}).
// Plan ${plan.plan_id} version ${plan.plan_version}: ${plan.name}
// Run it in a Playwright project (npx playwright test <this file>), or export it as a folder that runs
// anywhere: testdriver export ${state.run_id} --dir <folder>${secrets.length > 0 ? `\n// Secrets come from the environment: ${secrets.join(", ")}` : ""}
import { expect, test } from "@playwright/test";

const BASE_URL = process.env.TESTDRIVER_BASE_URL ?? ${q(plan.application_url)};

function requiredEnv(name) {
  const value = process.env[name];
  if (value === undefined) throw new Error(\`set the environment variable \${name}\`);
  return value;
}

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  },
});

test(${q(plan.name)}, async ({ page }) => {
${body.join("\n")}
});
`;
}
