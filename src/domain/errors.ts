/**
 * The one table of error kinds every edge maps from: the HTTP status, the CLI's exit status, and the kind an
 * MCP tool names in its isError text. An error is classified by its name and its own `code` (never by its
 * message), so a new error joins by getting a row here.
 */
export const ERROR_KINDS = {
  invalid_input: {
    http: 400,
    exit: 2,
    meaning: "the request, plan or setting is malformed; the message names the field",
  },
  invalid_plan: { http: 400, exit: 2, meaning: "the plan does not parse or does not validate" },
  url_refused: {
    http: 422,
    exit: 2,
    meaning: "the network policy refuses the URL or the host it resolves to",
  },
  scripts_disabled: { http: 403, exit: 2, meaning: "execute_script is off (TESTDRIVER_ALLOW_SCRIPTS)" },
  unauthorized: { http: 401, exit: 3, meaning: "no API key, or an unknown or revoked one" },
  forbidden: { http: 403, exit: 3, meaning: "the key's role does not allow this" },
  host_refused: { http: 403, exit: 3, meaning: "the Host header names no host this service answers to" },
  origin_refused: {
    http: 403,
    exit: 3,
    meaning: "a browser request from another origin, without an API key",
  },
  not_found: { http: 404, exit: 4, meaning: "no run, heal, baseline or plan with that id" },
  conflict: {
    http: 409,
    exit: 5,
    meaning: "the log refuses the command in the run's current state (nothing is recorded)",
  },
  busy: { http: 503, exit: 6, meaning: "no browser session became free in time" },
  internal: { http: 500, exit: 1, meaning: "a fault of TestDriver; the log says more" },
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
    case "ConfigError":
    case "InputError":
    case "ZodError":
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
