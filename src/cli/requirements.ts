import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { BrowserPool } from "../adapters/browser/pool.js";
import { looksLikeGherkin } from "../domain/gherkin/parse.js";
import { allSteps, type TestPlan } from "../domain/plan/model.js";
import { parsePlan } from "../domain/plan/parse.js";
import type { StructuredChatModel } from "../domain/planner/chat-model.js";
import { plansFromGherkin } from "../domain/planner/gherkin-plan.js";
import { renderStep } from "../domain/planner/render.js";
import { planFromRequirementsText } from "../domain/planner/requirements-plan.js";
import { planRulesThenModel } from "../engine/planners/rules-then-model.js";
import { observePage } from "../mcp/observe.js";
import type { DriverKind } from "../ports/browser.js";

export class BadInputError extends Error {
  override readonly name = "BadInputError";
}

export interface Planned {
  plans: TestPlan[];
  planner: "file" | "deterministic" | "model";
  /** A feature file or Gherkin text: its runs are its scenarios. */
  feature?: string;
}

export interface PlanInput {
  file?: string;
  requirements?: string;
  url?: string;
  planner?: "deterministic" | "model";
}

/** Why a file could not be read, in words; the path as given, and where a relative one was looked for. */
const UNREADABLE: Record<string, string> = {
  ENOENT: "not found",
  EISDIR: "is a directory, not a file",
  EACCES: "cannot be read (permission denied)",
};

function read(path: string): string {
  const kind = path.endsWith(".feature") ? "feature file" : "plan file";
  try {
    return readFileSync(resolve(path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const where = resolve(path) === path ? "" : ` (looked for ${resolve(path)})`;
    throw new BadInputError(
      `${kind} ${UNREADABLE[code] ? `${UNREADABLE[code]}: ${path}` : `cannot be read: ${path}: ${(error as Error).message}`}${where}`,
    );
  }
}

/**
 * The plans a CLI invocation asks for: a plan file (YAML/JSON), a feature file (one plan per scenario), or
 * requirements text (plain sentences, or Gherkin with scenarios). Requirements need the application's URL.
 */
export async function plansFor(
  input: PlanInput,
  model?: { chat: StructuredChatModel; pageSummary?: () => Promise<string> },
): Promise<Planned> {
  if (input.file && input.requirements)
    throw new BadInputError("give a plan file, a feature file or --requirements, not two");
  if (input.file && !input.file.endsWith(".feature")) {
    const plan = parsePlan(read(input.file), input.file);
    return { plans: [input.url ? { ...plan, application_url: input.url } : plan], planner: "file" };
  }
  const text = input.file ? read(input.file) : input.requirements;
  if (!text) throw new BadInputError("give a plan file, a feature file or --requirements TEXT");
  if (!input.url)
    throw new BadInputError(
      `${input.file ? "a feature file" : "--requirements"} needs --url, the application to test`,
    );
  if (input.file || needsGherkin(text)) {
    const source = input.file ?? "requirements";
    if (input.planner === "model")
      throw new BadInputError("--planner model plans --requirements sentences, not feature files");
    const scenarios = plansFromGherkin(text, input.url, source);
    const feature = /^\s*Feature:\s*(.*)$/m.exec(text)?.[1]?.trim() || source;
    return { plans: scenarios.map((s) => s.plan), planner: "deterministic", feature };
  }
  if (input.planner === "model") {
    if (!model)
      throw new BadInputError("--planner model needs a chat model (OPENAI_BASE_URL / OPENAI_API_KEY)");
    const { plan } = await planRulesThenModel(text, input.url, model);
    return { plans: [plan], planner: "model" };
  }
  return { plans: [planFromRequirementsText(text, input.url)], planner: "deterministic" };
}

/**
 * Requirements text read as a feature: when it has what only Gherkin has (an outline and its examples, a
 * background, rules) or several scenarios. One scenario of plain sentences stays one plan, named by it.
 */
const needsGherkin = (text: string) =>
  looksLikeGherkin(text) &&
  (/^\s*(?:Scenario Outline|Scenario Template|Examples|Scenarios|Background|Rule):/m.test(text) ||
    (text.match(/^\s*(?:Scenario|Example):/gm) ?? []).length > 1);

/** Step ids and what each step does, in words: progress lines show these instead of the sentence again. */
export function interpretations(plan: TestPlan): Map<string, string> {
  return new Map(allSteps(plan).map(({ step }) => [step.step_id, renderStep(step.action, step.params)]));
}

/** The steps as understood, one line each, with the sentence (or the part of it) they come from beside them. */
export function planLines(plan: TestPlan): string {
  const steps = allSteps(plan);
  const said = steps.map(({ step }) => renderStep(step.action, step.params));
  const width = Math.min(56, Math.max(...said.map((s) => s.length)));
  const n = String(steps.length).length;
  const lines = steps.map(
    ({ step }, i) => `  ${String(i + 1).padStart(n)}. ${said[i]!.padEnd(width)}  <- ${step.description}`,
  );
  return `"${plan.name}" (plan ${plan.plan_id}, ${steps.length} steps, against ${plan.application_url})\n${lines.join("\n")}\n`;
}

/** The page the requirements start on, as the accessibility summary the model planner gets. */
export function pageSummaryOf(pool: BrowserPool, driver: DriverKind, url: string, allowedHosts: string[]) {
  return async () => {
    const session = await pool.acquire(driver, { allowedHosts: [...allowedHosts, new URL(url).host] });
    try {
      await session.navigate(url, { waitUntil: "load" });
      return (await observePage(session, 1500)).text;
    } finally {
      await session.close();
    }
  };
}
