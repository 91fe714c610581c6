import type { TestPlan } from "../../domain/plan/model.js";
import { PlanValidationError, validateStep } from "../../domain/plan/parse.js";
import type { StructuredChatModel } from "../../domain/planner/chat-model.js";
import {
  type DraftPlan,
  type DraftStep,
  planFromRequirements,
  type Refused,
} from "../../domain/planner/deterministic.js";
import {
  RequirementsError,
  type RequirementsOrigin,
  refusalText,
  requirementsPlan,
} from "../../domain/planner/requirements-plan.js";
import { PlanningError, STEP_JSON_SCHEMA } from "./model-planner.js";

const ANSWER_SCHEMA = {
  type: "object",
  required: ["sentences"],
  additionalProperties: false,
  properties: {
    sentences: {
      type: "array",
      items: {
        type: "object",
        required: ["sentence", "steps"],
        additionalProperties: false,
        properties: {
          sentence: { type: "string", description: "the sentence, exactly as given" },
          steps: { type: "array", items: STEP_JSON_SCHEMA },
          reason: { type: "string", description: "when steps is empty: why the sentence cannot be planned" },
        },
      },
    },
  },
} as const;

const SYSTEM = `Task: plan_sentences
You turn requirement sentences into browser test steps for TestDriver. TestDriver's sentence rules read the
other sentences of these requirements; you get only the ones they could not read, with the page as an
accessibility summary (role "name" per line). Answer with JSON only, matching the schema: for each sentence
given, in order, its steps. Describe targets as the page names them (role and visible name), never invent
CSS. A sentence that states an expected result becomes an assert step. If a sentence cannot be turned into
steps faithfully (it is vague, or names nothing on the page), give it no steps and say why in "reason":
a step that guesses is worse than none.`;

interface ModelAnswer {
  sentences: { sentence: string; steps: Record<string, unknown>[]; reason?: string }[];
}

export interface RulesThenModelResult {
  plan: TestPlan;
  /** The sentences the model planned (the rules read the others). */
  modelSentences: string[];
}

/**
 * Plans requirements with the sentence rules first; only the sentences they refuse go to the model, with
 * the page's accessibility summary as context. The model's steps are validated as any plan's (an invalid
 * answer is asked again once, with the problems); a sentence the model cannot plan either is refused.
 */
export async function planRulesThenModel(
  requirements: string,
  url: string,
  options: { chat: StructuredChatModel; pageSummary?: () => Promise<string>; origin?: RequirementsOrigin },
): Promise<RulesThenModelResult> {
  const draft = planFromRequirements(requirements);
  const order = draft.order;
  const refused = order.filter((o): o is (typeof order)[number] & { refused: Refused } => "refused" in o);
  if (draft.steps.length === 0 && refused.length === 0)
    throw new RequirementsError("the requirements contain no step");
  const planned = new Map<string, DraftStep[]>();
  if (refused.length > 0) {
    const summary = options.pageSummary
      ? await options.pageSummary().catch((e: Error) => `(the page could not be read: ${e.message})`)
      : "(no page)";
    const answer = await ask(
      options.chat,
      refused.map((r) => r.sentence),
      summary,
    );
    const still: Refused[] = [];
    for (const r of refused) {
      const got = answer.get(r.sentence);
      if (got && got.steps.length > 0) planned.set(r.sentence, got.steps);
      else
        still.push({
          ...r.refused,
          reason: got?.reason ? `the model could not plan it either: ${got.reason}` : r.refused.reason,
        });
    }
    if (still.length > 0) throw new RequirementsError(refusalText(still), still);
  }
  const steps: DraftStep[] = order.flatMap((o) =>
    "parts" in o
      ? o.parts.flatMap((p) => p.steps.map((s) => ({ ...s, description: p.text })))
      : (planned.get(o.sentence) ?? []),
  );
  const full: DraftPlan = { ...draft, steps };
  const plan = requirementsPlan(full, requirements, url, {
    origin: options.origin,
    createdBy:
      refused.length > 0 ? `deterministic-planner+model:${options.chat.name}` : "deterministic-planner",
    sentences: order.map((o) => o.sentence),
  });
  return { plan, modelSentences: [...planned.keys()] };
}

async function ask(
  chat: StructuredChatModel,
  sentences: string[],
  summary: string,
): Promise<Map<string, { steps: DraftStep[]; reason?: string }>> {
  const messages: { role: "user" | "assistant"; content: string }[] = [
    {
      role: "user",
      content: `The page now:\n${summary}\n\nSentences to plan:\n${sentences.map((s, i) => `${i + 1}. ${s}`).join("\n")}`,
    },
  ];
  let problem = "";
  for (let attempt = 1; attempt <= 2; attempt++) {
    let text: string;
    try {
      text = await chat.complete({
        system: SYSTEM,
        messages,
        schemaName: "sentence_steps",
        jsonSchema: ANSWER_SCHEMA,
      });
    } catch (error) {
      throw new PlanningError(`model ${chat.name} could not be asked: ${(error as Error).message}`, attempt);
    }
    try {
      return validated(JSON.parse(text) as ModelAnswer, sentences);
    } catch (error) {
      problem =
        error instanceof PlanValidationError
          ? error.issues.map((i) => `${i.path || "(step)"}: ${i.message}`).join("; ")
          : (error as Error).message;
      messages.push(
        { role: "assistant", content: text },
        {
          role: "user",
          content: `That answer is invalid: ${problem}. Answer again with corrected JSON only.`,
        },
      );
    }
  }
  throw new PlanningError(`model ${chat.name} returned invalid steps twice; last problem: ${problem}`, 2);
}

/** Each answered step checked as a plan step is (strict parameters); every sentence asked must be answered. */
function validated(
  answer: ModelAnswer,
  asked: string[],
): Map<string, { steps: DraftStep[]; reason?: string }> {
  if (!Array.isArray(answer?.sentences)) throw new Error("not an object with a sentences list");
  const out = new Map<string, { steps: DraftStep[]; reason?: string }>();
  const used = new Set<string>();
  answer.sentences.forEach((s, i) => {
    if (!asked.includes(s.sentence))
      throw new Error(`sentences[${i}] is "${s.sentence}", which was not asked`);
    const steps = (s.steps ?? []).map((step, k) => {
      const valid = validateStep(step, used, `sentences[${i}].steps[${k}]`);
      return { action: valid.action, params: valid.params, description: s.sentence };
    });
    out.set(s.sentence, { steps, reason: s.reason });
  });
  const missing = asked.filter((s) => !out.has(s));
  if (missing.length > 0) throw new Error(`no answer for: ${missing.join(" | ")}`);
  return out;
}
