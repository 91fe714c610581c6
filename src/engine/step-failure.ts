import { UrlRefusedError } from "../domain/network/errors.js";
import type { RefusedRequest } from "../ports/browser.js";

/** A step that did not do what it says; `retriable` is false when another attempt cannot change that. */
export class StepFailure extends Error {
  override readonly name = "StepFailure";
  constructor(
    message: string,
    readonly retriable = true,
  ) {
    super(message);
  }
}

/**
 * The failure of a step during which the network gate refused requests of the page: it names the first
 * refused host (and how many more), and is not retried, since the page would ask again and be refused again.
 */
export function refusedRequestsFailure(refused: RefusedRequest[]): StepFailure | undefined {
  const [first] = refused;
  if (!first) return undefined;
  const error = new UrlRefusedError(first.url, first.reason, "request");
  const hosts = [...new Set(refused.map((r) => r.host))];
  const more = hosts.length > 1 ? ` (also refused: ${hosts.slice(1).join(", ")})` : "";
  return new StepFailure(`UrlRefusedError: the page's ${error.message}${more}`, false);
}
