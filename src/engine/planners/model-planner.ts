import { ACTION_TYPES, type TestPlan } from "../../domain/plan/model.js";
import { PlanValidationError, validatePlan } from "../../domain/plan/parse.js";
import type { StructuredChatModel } from "../../domain/planner/chat-model.js";

export class PlanningError extends Error {
  override readonly name = "PlanningError";
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

// What the model must return: a name and steps in the plan file's own shape.
const TARGET = {
  anyOf: [
    { type: "string", description: "what the element looks like to a user, e.g. 'Sign in button'" },
    {
      type: "object",
      properties: {
        description: { type: "string" },
        role: {
          type: "string",
          description: "a hard filter: button, link, checkbox, textbox, listitem, row...",
        },
        within: { type: "string", description: "text of the enclosing row, list item or card" },
        nth: { type: "integer", minimum: 1, description: "1-based, among the matches" },
        css: { type: "string" },
        xpath: { type: "string" },
      },
      additionalProperties: false,
    },
  ],
};

/** One step in the plan file's own shape: what a model must answer for a step. */
export const STEP_JSON_SCHEMA = {
  type: "object",
  required: ["action", "params"],
  additionalProperties: false,
  properties: {
    action: { type: "string", enum: [...ACTION_TYPES] },
    description: { type: "string" },
    expected_outcome: { type: "string" },
    params: {
      type: "object",
      description:
        "navigate: {url}; click: {target, click_count?, button?}; hover: {target}; type: {target, text}; press: {key, target?}; check: {target, checked}; select: {target, values}; assert: {text} | {not_text} | {url_contains} | {title_contains} | {target, visible} | {target, value} | {target, checked} | {target, count}; wait: {ms} | {text} | {not_text} | {target}; scroll: {target} | {y}; drag_drop: {source, destination}; upload_file: {target, files}; go_back/go_forward/reload: {}; dialog: {accept, prompt_text?}; switch_tab: {index} | {title_contains}; close_tab: {}",
      properties: { target: TARGET, source: TARGET, destination: TARGET },
    },
  },
} as const;

export const PLAN_JSON_SCHEMA = {
  type: "object",
  required: ["name", "test_steps"],
  additionalProperties: false,
  properties: {
    name: { type: "string" },
    description: { type: "string" },
    test_steps: { type: "array", minItems: 1, items: STEP_JSON_SCHEMA },
  },
} as const;

const SYSTEM = `You turn software requirements into a browser test plan for TestDriver.
Answer with JSON only, matching the schema. Use relative URLs (such as /login) for pages of the application.
Describe targets the way a user sees them (the visible label or text), not with invented CSS selectors.
Every requirement that states an expected result becomes an assert step. Do not invent steps the
requirements do not ask for.`;

/**
 * Plans with a language model: asks for the plan as structured output, validates it with the plan schema,
 * and on an invalid answer asks once more with the problems listed. A second invalid answer is an error.
 */
export class ModelPlanner {
  constructor(private readonly model: StructuredChatModel) {}

  async plan(requirements: string, applicationUrl: string): Promise<TestPlan> {
    const messages: { role: "user" | "assistant"; content: string }[] = [
      { role: "user", content: `Application: ${applicationUrl}\n\nRequirements:\n${requirements}` },
    ];
    let problem = "";
    for (let attempt = 1; attempt <= 2; attempt++) {
      let answer: string;
      try {
        answer = await this.model.complete({
          system: SYSTEM,
          messages,
          schemaName: "test_plan",
          jsonSchema: PLAN_JSON_SCHEMA,
        });
      } catch (error) {
        throw new PlanningError(
          `model ${this.model.name} could not be asked for a plan: ${(error as Error).message}`,
          attempt,
        );
      }
      try {
        const draft = JSON.parse(answer) as Record<string, unknown>;
        return validatePlan(
          { ...draft, requirements, application_url: applicationUrl, created_by: `model:${this.model.name}` },
          "model answer",
        );
      } catch (error) {
        problem =
          error instanceof PlanValidationError
            ? error.issues.map((i) => `${i.path || "(plan)"}: ${i.message}`).join("; ")
            : `not valid JSON (${(error as Error).message})`;
        messages.push(
          { role: "assistant", content: answer },
          {
            role: "user",
            content: `That plan is invalid: ${problem}. Answer again with corrected JSON only.`,
          },
        );
      }
    }
    throw new PlanningError(
      `model ${this.model.name} returned an invalid plan twice; last problem: ${problem}`,
      2,
    );
  }
}
