import Ajv from "ajv";
import type { BrowserSession, NetworkExchange } from "../../ports/browser.js";

export interface RequestExpectation {
  url: string;
  method?: string;
  status?: number;
  json_schema?: Record<string, unknown>;
}

const ajv = new Ajv.default({ allErrors: true, strict: false });

/** The request and what it got, for a failed check's message. */
function exchangeText(x: NetworkExchange): string {
  const body = x.responseBody === undefined ? "" : ` ${x.responseBody.slice(0, 300)}`;
  return `${x.method} ${x.url} → ${x.status ?? x.failure ?? "no answer"}${body}`;
}

/**
 * Checks the page's own traffic: the latest finished request whose URL contains `url` (and method, if
 * given) answered with `status` and a JSON body valid against `json_schema`. Returns true, or why not.
 */
export function checkRequest(session: BrowserSession, want: RequestExpectation): true | string {
  const matching = session
    .network()
    .filter(
      (x) =>
        x.url.includes(want.url) &&
        (!want.method || x.method.toUpperCase() === want.method.toUpperCase()) &&
        x.finishedAt !== undefined,
    );
  const x = matching.at(-1);
  if (!x) return `no ${want.method ? `${want.method} ` : ""}request to a URL containing ${want.url} was made`;
  if (want.status !== undefined && x.status !== want.status)
    return `expected status ${want.status}: ${exchangeText(x)}`;
  if (want.json_schema) {
    if (!session.capabilities.responseBodies)
      return "this browser driver cannot read response bodies: check JSON bodies with the playwright driver";
    if (x.responseBody === undefined) return `the response has no JSON body: ${exchangeText(x)}`;
    let body: unknown;
    try {
      body = JSON.parse(x.responseBody);
    } catch {
      return `the response body is not JSON: ${exchangeText(x)}`;
    }
    const validate = ajv.compile(want.json_schema);
    if (!validate(body)) {
      const problems = (validate.errors ?? [])
        .map((e) => `${e.instancePath || "(body)"} ${e.message}`)
        .join("; ");
      return `the JSON body does not match the schema (${problems}): ${exchangeText(x)}`;
    }
  }
  return true;
}
