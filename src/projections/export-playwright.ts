import type { TargetSpec, TestStep } from "../domain/plan/model.js";
import { ENV_REF, envRefs, MASK } from "../domain/plan/secrets.js";
import { targetOfLocator } from "../domain/run/recorded-plan.js";
import type { Located, RunState } from "../domain/run/state.js";

const q = (value: unknown) => JSON.stringify(value);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** The environment variable an exported test reads a masked secret from. */
export function secretVariable(stepId: string): string {
  return `TESTDRIVER_SECRET_${stepId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/** A typed value as a JavaScript expression: literals quoted, env templates and secrets from process.env. */
function textExpression(text: string, step: TestStep): string {
  if (step.params.secret === true || text === MASK) {
    const name = secretVariable(step.step_id);
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
  return `page.getByText(${q(spec?.description ?? "")}, { exact: false }).first()`;
}

function stepLines(step: TestStep, located: Located[]): string[] {
  const p = step.params;
  const loc = (role: "target" | "source" | "destination") =>
    locatorExpression(
      p[role] as TargetSpec | undefined,
      located.find((l) => l.role === role),
    );
  const lines: string[] = [];
  switch (step.action) {
    case "navigate":
      lines.push(
        `await page.goto(new URL(${q(p.url)}, BASE_URL).toString(), { waitUntil: ${q(p.wait_until ?? "load")} });`,
      );
      break;
    case "click": {
      const options = { button: p.button, clickCount: p.click_count };
      const hasOptions = options.button !== undefined || options.clickCount !== undefined;
      lines.push(`await ${loc("target")}.click(${hasOptions ? q(options) : ""});`);
      break;
    }
    case "type":
      if (p.text !== undefined && p.target) {
        const text = textExpression(String(p.text), step);
        if (p.keystrokes === true || p.clear === false) {
          if (p.clear !== false) lines.push(`await ${loc("target")}.fill("");`);
          lines.push(`await ${loc("target")}.pressSequentially(${text});`);
        } else lines.push(`await ${loc("target")}.fill(${text});`);
      } else if (p.target) lines.push(`await ${loc("target")}.click();`);
      if (p.key) lines.push(`await page.keyboard.press(${q(p.key)});`);
      break;
    case "select":
      lines.push(`await ${loc("target")}.selectOption(${q(p.values)});`);
      break;
    case "hover":
      lines.push(`await ${loc("target")}.hover();`);
      break;
    case "scroll":
      lines.push(
        p.target
          ? `await ${loc("target")}.scrollIntoViewIfNeeded();`
          : `await page.evaluate(([x, y]) => window.scrollTo(x, y), [${Number(p.x ?? 0)}, ${Number(p.y ?? 0)}]);`,
      );
      break;
    case "drag_drop":
      lines.push(`await ${loc("source")}.dragTo(${loc("destination")});`);
      break;
    case "upload_file":
      lines.push(`await ${loc("target")}.setInputFiles(${q(p.files)});`);
      break;
    case "execute_script":
      lines.push(
        `await page.evaluate(({ script, args }) => new Function(script)(...args), { script: ${q(p.script)}, args: ${q(p.args ?? [])} });`,
      );
      break;
    case "wait":
      if (p.ms !== undefined) lines.push(`await page.waitForTimeout(${Number(p.ms)});`);
      else if (p.target) lines.push(`await ${loc("target")}.waitFor();`);
      else
        lines.push(
          p.for === "network_idle"
            ? `await page.waitForLoadState("networkidle");`
            : `await page.waitForLoadState("load");`,
        );
      break;
    case "assert": {
      const subject = p.target ? loc("target") : `page.locator("body")`;
      if (p.text !== undefined) lines.push(`await expect(${subject}).toContainText(${q(p.text)});`);
      if (p.not_text !== undefined)
        lines.push(`await expect(${subject}).not.toContainText(${q(p.not_text)});`);
      if (p.url_contains !== undefined)
        lines.push(`await expect(page).toHaveURL(/${escapeRegExp(String(p.url_contains))}/);`);
      if (p.title_contains !== undefined)
        lines.push(`await expect(page).toHaveTitle(/${escapeRegExp(String(p.title_contains))}/);`);
      if (p.visible === true) lines.push(`await expect(${subject}).toBeVisible();`);
      if (p.visible === false) lines.push(`await expect(${subject}).toBeHidden();`);
      if (p.value !== undefined) lines.push(`await expect(${subject}).toHaveValue(${q(p.value)});`);
      break;
    }
  }
  if (step.expected_outcome)
    lines.push(`await expect(page.locator("body")).toContainText(${q(step.expected_outcome)});`);
  return lines;
}

/**
 * A run as a Playwright Test file (`npx playwright test`): the plan's steps in order, each element by the
 * locator the run resolved for it, so the file reproduces what TestDriver did without TestDriver. Secrets are
 * read from environment variables, never written into the file.
 */
export function exportPlaywright(state: RunState): string {
  const plan = state.plan;
  if (!plan) throw new Error(`run ${state.run_id} has no plan to export`);
  const steps = [...plan.setup_steps, ...plan.test_steps, ...plan.teardown_steps];
  const secrets = steps
    .filter((s) => s.action === "type" && (s.params.secret === true || s.params.text === MASK))
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
// Run it with: npx playwright test <this file>${secrets.length > 0 ? `\n// Secrets come from the environment: ${secrets.join(", ")}` : ""}
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
