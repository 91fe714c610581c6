/**
 * The one table of error kinds every edge maps from: the HTTP status, the CLI's exit status, and the kind an
 * MCP tool names in its isError text with what to do next. An error is classified by its name and its own
 * `code` (never by its message), so a new error joins by getting a row here.
 *
 * Exit statuses keep the CLI's promise (README, "CLI"): 1 a run or check failed (or TestDriver did), 2 the
 * caller has something to fix (input, configuration, a key, an id, the run's state). 3 is drift, a result
 * rather than an error, so no kind uses it.
 */
export const ERROR_KINDS = {
  invalid_input: {
    http: 400,
    exit: 2,
    meaning: "the request, plan or setting is malformed; the message names the field",
    next: "Fix what the message names and call again.",
  },
  invalid_plan: {
    http: 400,
    exit: 2,
    meaning: "the plan does not parse or does not validate",
    next: "Rephrase the sentences the message names in one of the forms it lists, or fix the plan where it says, and call again.",
  },
  url_refused: {
    http: 422,
    exit: 2,
    meaning: "the network policy refuses the URL or the host it resolves to",
    next: "Only the application's host, loopback and TESTDRIVER_ALLOWED_HOSTS may be opened; use a URL on the application under test.",
  },
  scripts_disabled: {
    http: 403,
    exit: 2,
    meaning: "execute_script is off (TESTDRIVER_ALLOW_SCRIPTS)",
    next: "Use the other actions, or ask the operator to set TESTDRIVER_ALLOW_SCRIPTS=true.",
  },
  unauthorized: {
    http: 401,
    exit: 2,
    meaning: "no API key, or an unknown or revoked one",
    next: "Send a valid API key (Authorization: Bearer KEY); an operator creates one with testdriver keys create.",
  },
  forbidden: {
    http: 403,
    exit: 2,
    meaning: "the key's role does not allow this",
    next: "Use a key with the role the message names; read-only tools and routes work with this one.",
  },
  host_refused: {
    http: 403,
    exit: 2,
    meaning: "the Host header names no host this service answers to",
    next: "Call the service by a name it answers to, or list that name in TESTDRIVER_PUBLIC_HOSTS.",
  },
  origin_refused: {
    http: 403,
    exit: 2,
    meaning: "a browser request from another origin, without an API key",
    next: "Send an API key with cross-origin requests.",
  },
  not_found: {
    http: 404,
    exit: 2,
    meaning: "no run, heal, baseline or plan with that id",
    next: "Check the id: list_tests, list_baselines and get_state_snapshot show the ids there are.",
  },
  conflict: {
    http: 409,
    exit: 2,
    meaning: "the log refuses the command in the run's current state (nothing is recorded)",
    next: "Call get_report to see where the test stands.",
  },
  busy: {
    http: 503,
    exit: 1,
    meaning: "no browser session became free in time",
    next: "Wait for a running test to finish (or stop one), then call again.",
  },
  internal: {
    http: 500,
    exit: 1,
    meaning: "a fault of TestDriver; the log says more",
    next: "This is not the call's fault: the server log has the details, and get_system_health shows what is down.",
  },
} as const;

export type ErrorKind = keyof typeof ERROR_KINDS;

/** Run-rule codes (RunRuleError.code) that mean "no such thing" rather than "not now". */
const MISSING = new Set(["no_run", "unknown_healing", "unknown_baseline", "no_baseline", "no_plan"]);

/** Codes clients already know some errors by, kept where they are more precise than the kind. */
const NAMED_CODES: Record<string, string> = {
  BaselineRefused: "baseline_refused",
  DriftCheckError: "drift_check_refused",
  PlanValidationError: "invalid_plan",
};

/** Hints more precise than the kind's, for codes that know what is missing. */
const CODE_NEXT: Record<string, string> = {
  no_run: "Call list_tests to see the test ids there are.",
  no_plan: "Call list_tests to see the tests of each plan.",
  unknown_healing: "Call review_healing_events to see the heals there are.",
  unknown_baseline: "Call list_baselines to see the baselines there are, or capture_baseline to make one.",
  no_baseline: "Call capture_baseline, then approve_baseline, for that page and version.",
  baseline_refused: "Call capture_baseline or approve_baseline as the message says.",
  drift_check_refused: "Call capture_baseline or approve_baseline as the message says.",
};

/** What a caller does next about an error of this code and kind. */
export function nextStep(error: Pick<ClassifiedError, "code" | "kind">): string {
  return CODE_NEXT[error.code] ?? ERROR_KINDS[error.kind].next;
}

export interface ClassifiedError {
  kind: ErrorKind;
  /** The error's own code when it has one (a run rule's "wrong_status"), else the kind. */
  code: string;
  http: number;
  exit: number;
  message: string;
}

/** The kind of an error, from its name and its own code. */
export function classifyError(error: unknown): ClassifiedError {
  const e = (error ?? {}) as { name?: string; code?: unknown; message?: string };
  const own = typeof e.code === "string" ? e.code : undefined;
  const kind = kindOf(e.name ?? "", own);
  const { http, exit } = ERROR_KINDS[kind];
  return {
    kind,
    code: kind === "internal" ? kind : (own ?? NAMED_CODES[e.name ?? ""] ?? kind),
    http,
    exit,
    message: String(e.message ?? error),
  };
}

function kindOf(name: string, code: string | undefined): ErrorKind {
  if (code && code in ERROR_KINDS) return code as ErrorKind;
  switch (name) {
    case "PlanValidationError":
    case "YAMLParseError":
    case "YAMLReferenceError":
    case "YAMLAliasError":
      return "invalid_plan";
    case "UrlRefusedError":
      return "url_refused";
    case "ScriptsDisabledError":
      return "scripts_disabled";
    case "RequirementsError":
    case "GherkinError":
      return "invalid_plan";
    case "ConfigError":
    case "InputError":
    case "ZodError":
    case "BadInputError":
    case "ResumeSecretsError":
    case "MissingSecretError":
    case "TestDataError":
    case "CommanderError":
    case "InvalidArgumentError":
      return "invalid_input";
    case "PoolTimeoutError":
      return "busy";
    case "RunRuleError":
    case "BaselineRefused":
    case "DriftCheckError":
      return code && MISSING.has(code) ? "not_found" : "conflict";
    case "NotFoundError":
      return "not_found";
    default:
      return "internal";
  }
}

/** Bad input found at an edge (a query, a parameter): a 400 that names the field and the problem. */
export class InputError extends Error {
  override readonly name = "InputError";
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** An id that names nothing: a 404 whose message names what was looked for. */
export class NotFoundError extends Error {
  override readonly name = "NotFoundError";
}
