/**
 * Turns plain imperative or Gherkin-style requirements into plan steps, with no model. Each sentence either
 * matches one of the forms below or is reported back as not understood: the planner never guesses.
 */

export interface DraftStep {
  action: string;
  params: Record<string, unknown>;
  description: string;
}

export interface DraftPlan {
  name?: string;
  description?: string;
  steps: DraftStep[];
  unparsed: string[];
}

const unquote = (s: string) =>
  s
    .trim()
    .replace(/^["“'`](.*)["”'`]$/, "$1")
    .trim();
const looksLikeCss = (s: string) => /^[#.[]/.test(s) || /^[a-z]+[#.[]/.test(s);
const target = (raw: string) => {
  const text = unquote(raw.replace(/^(the|a|an)\s+/i, ""));
  return looksLikeCss(text) ? { css: text } : text;
};
const looksLikeUrl = (s: string) => /^(https?:\/\/|\/)\S*$/.test(unquote(s));
const KEYS: Record<string, string> = {
  enter: "Enter",
  return: "Enter",
  tab: "Tab",
  escape: "Escape",
  esc: "Escape",
  backspace: "Backspace",
  space: "Space",
  delete: "Delete",
  "arrow up": "ArrowUp",
  "arrow down": "ArrowDown",
  "arrow left": "ArrowLeft",
  "arrow right": "ArrowRight",
};

type Rule = [RegExp, (m: RegExpExecArray) => Omit<DraftStep, "description"> | undefined];

const I = "(?:i\\s+)?";
const RULES: Rule[] = [
  // Navigation
  [
    new RegExp(`^${I}(?:go|navigate|browse|am|start)\\s+(?:to|on|at)\\s+(.+)$`, "i"),
    (m) => (looksLikeUrl(m[1]!) ? { action: "navigate", params: { url: unquote(m[1]!) } } : undefined),
  ],
  [
    new RegExp(`^${I}(?:open|visit|load)\\s+(.+)$`, "i"),
    (m) => (looksLikeUrl(m[1]!) ? { action: "navigate", params: { url: unquote(m[1]!) } } : undefined),
  ],
  // Keys, before clicks: "press Enter" is not "press the Enter button".
  [
    new RegExp(
      `^${I}(?:press|hit)\\s+(?:the\\s+)?(enter|return|tab|escape|esc|backspace|space|delete|arrow (?:up|down|left|right))(?:\\s+key)?(?:\\s+(?:in|on)\\s+(.+))?$`,
      "i",
    ),
    (m) => ({
      action: "type",
      params: { key: KEYS[m[1]!.toLowerCase()], ...(m[2] ? { target: target(m[2]) } : {}) },
    }),
  ],
  // Typing
  [
    new RegExp(`^${I}(?:type|enter|input|write)\\s+(.+?)\\s+(?:into|in|on)\\s+(.+)$`, "i"),
    (m) => ({ action: "type", params: { text: unquote(m[1]!), target: target(m[2]!) } }),
  ],
  [
    new RegExp(`^${I}fill(?:\\s+in|\\s+out)?\\s+(.+?)\\s+with\\s+(.+)$`, "i"),
    (m) => ({ action: "type", params: { text: unquote(m[2]!), target: target(m[1]!) } }),
  ],
  // Choosing from a list, before clicks: "select X from Y" is not "select X".
  [
    new RegExp(`^${I}(?:select|choose|pick)\\s+(.+?)\\s+(?:from|in)\\s+(.+)$`, "i"),
    (m) => ({ action: "select", params: { values: [unquote(m[1]!)], target: target(m[2]!) } }),
  ],
  [
    new RegExp(`^${I}(?:check|tick|uncheck|untick)\\s+(.+)$`, "i"),
    (m) =>
      /^(that|if|whether)\b/i.test(m[1]!)
        ? undefined
        : { action: "click", params: { target: target(m[1]!) } },
  ],
  [
    new RegExp(`^${I}(?:click|tap|press|hit|push)(?:\\s+on)?\\s+(.+)$`, "i"),
    (m) => ({ action: "click", params: { target: target(m[1]!) } }),
  ],
  [
    new RegExp(`^${I}(?:hover|mouse)\\s+(?:over|on)\\s+(.+)$`, "i"),
    (m) => ({ action: "hover", params: { target: target(m[1]!) } }),
  ],
  [
    new RegExp(`^${I}drag\\s+(.+?)\\s+(?:to|onto|into)\\s+(.+)$`, "i"),
    (m) => ({ action: "drag_drop", params: { source: target(m[1]!), destination: target(m[2]!) } }),
  ],
  [
    new RegExp(`^${I}(?:upload|attach)\\s+(.+?)\\s+(?:to|into|in)\\s+(.+)$`, "i"),
    (m) => ({
      action: "upload_file",
      params: { files: m[1]!.split(/\s*,\s*|\s+and\s+/).map(unquote), target: target(m[2]!) },
    }),
  ],
  // Scrolling and waiting
  [
    new RegExp(`^${I}scroll\\s+(?:to\\s+the\\s+)?(?:down|bottom)$`, "i"),
    () => ({ action: "scroll", params: { y: 100000 } }),
  ],
  [
    new RegExp(`^${I}scroll\\s+(?:to\\s+the\\s+)?(?:up|top)$`, "i"),
    () => ({ action: "scroll", params: { y: 0 } }),
  ],
  [
    new RegExp(`^${I}scroll\\s+to\\s+(.+)$`, "i"),
    (m) => ({ action: "scroll", params: { target: target(m[1]!) } }),
  ],
  [
    new RegExp(`^${I}wait(?:\\s+for)?\\s+(\\d+(?:\\.\\d+)?)\\s*(ms|milliseconds?|s|secs?|seconds?)$`, "i"),
    (m) => ({
      action: "wait",
      params: { ms: Math.round(Number(m[1]) * (/^ms|milli/i.test(m[2]!) ? 1 : 1000)) },
    }),
  ],
  [
    new RegExp(
      `^${I}wait\\s+(?:for|until)\\s+(.+?)(?:\\s+(?:to\\s+appear|appears|is\\s+visible|is\\s+shown))?$`,
      "i",
    ),
    (m) => ({ action: "wait", params: { target: target(m[1]!) } }),
  ],
  // Checks
  [
    /^(?:the\s+)?(?:url|address)\s+(?:should\s+)?(?:contains?|includes?|should\s+(?:contain|include)|is|should\s+be)\s+(.+)$/i,
    (m) => ({ action: "assert", params: { url_contains: unquote(m[1]!) } }),
  ],
  [
    new RegExp(`^${I}(?:should\\s+be|am\\s+now|end\\s+up)\\s+(?:on|at)\\s+(.+)$`, "i"),
    (m) => (looksLikeUrl(m[1]!) ? { action: "assert", params: { url_contains: unquote(m[1]!) } } : undefined),
  ],
  [
    /^(?:the\s+)?(?:page\s+)?title\s+(?:should\s+)?(?:be|is|contains?|should\s+contain)\s+(.+)$/i,
    (m) => ({ action: "assert", params: { title_contains: unquote(m[1]!) } }),
  ],
  [
    new RegExp(`^${I}(?:should\\s+not|shouldn't|do\\s+not|don't|must\\s+not)\\s+see\\s+(.+)$`, "i"),
    (m) => ({ action: "assert", params: { not_text: unquote(m[1]!) } }),
  ],
  [
    new RegExp(`^${I}(?:expect\\s+to|should|must|can|will)?\\s*see\\s+(?:the\\s+text\\s+)?(.+)$`, "i"),
    (m) => ({ action: "assert", params: { text: unquote(m[1]!) } }),
  ],
  [
    /^(?:verify|check|ensure|assert|confirm)\s+(?:that\s+)?(?:the\s+page\s+)?(?:shows|displays|contains|says)\s+(.+)$/i,
    (m) => ({ action: "assert", params: { text: unquote(m[1]!) } }),
  ],
  [
    /^(?:the\s+page\s+)?(?:shows|displays|says)\s+(.+)$/i,
    (m) => ({ action: "assert", params: { text: unquote(m[1]!) } }),
  ],
];

const GHERKIN = /^(?:given|when|then|and|but|\*)\s+/i;
const LIST_MARKER = /^(?:[-*•]\s+|\d+[.)]\s+)/;

/** Splits requirements into sentences: lines, sentence ends, and "then" joins. */
export function sentencesOf(requirements: string): string[] {
  return (
    requirements
      .split(/\r?\n/)
      // A sentence ends at . ! ? or ; before a capital, but "1." in a numbered list is not an end.
      .flatMap((line) => line.split(/(?<=[^\d\s][.!?;])\s+(?=[A-Z"“])/))
      .flatMap((s) => s.split(/,?\s+(?:and\s+)?then\s+(?=[a-z])/i))
      .map((s) => s.trim())
      .filter(Boolean)
  );
}

export function planFromRequirements(requirements: string): DraftPlan {
  const plan: DraftPlan = { steps: [], unparsed: [] };
  for (const raw of sentencesOf(requirements)) {
    if (raw.startsWith("#")) continue;
    const feature = /^feature:\s*(.+)$/i.exec(raw);
    if (feature) {
      plan.name = feature[1]!.trim();
      continue;
    }
    const scenario = /^(?:scenario(?: outline)?|background|example):\s*(.*)$/i.exec(raw);
    if (scenario) {
      if (scenario[1]) plan.description = scenario[1].trim();
      continue;
    }
    const sentence = raw
      .replace(LIST_MARKER, "")
      .replace(GHERKIN, "")
      .replace(/[.;!]+$/, "")
      .trim();
    let step: Omit<DraftStep, "description"> | undefined;
    for (const [pattern, build] of RULES) {
      const m = pattern.exec(sentence);
      if (m) {
        step = build(m);
        if (step) break;
      }
    }
    if (step) plan.steps.push({ ...step, description: sentence });
    else plan.unparsed.push(raw);
  }
  return plan;
}
