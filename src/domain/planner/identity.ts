import { createHash } from "node:crypto";
import { slug } from "../plan/normalize.js";

/**
 * Who a requirements plan is: its id keys learned locators and reliability, its name titles reports. A
 * scenario or feature name gives both; otherwise the sentences and the application's origin make the id, so
 * that unrelated requirements never share learned locators (they used to all be plan "requirements").
 */
export function requirementsIdentity(input: {
  sentences: string[];
  applicationUrl: string;
  feature?: string;
  scenario?: string;
}): { plan_id: string; name: string } {
  const named = [input.feature, input.scenario].filter((s): s is string => Boolean(s?.trim()));
  if (named.length > 0) {
    const name = named.join(": ");
    return { plan_id: slug(name, 80), name };
  }
  let origin = input.applicationUrl;
  try {
    origin = new URL(input.applicationUrl).origin;
  } catch {
    // Not a URL: the plan's validation says so; the identity only needs some text.
  }
  const text = input.sentences.map((s) => s.trim().replace(/\s+/g, " ").toLowerCase()).join("\n");
  const hash = createHash("sha256").update(`${origin}\n${text}`).digest("hex").slice(0, 12);
  const first = (input.sentences[0] ?? "").trim().replace(/[.;!]+$/, "");
  const name = `Requirements: ${first.length > 60 ? `${first.slice(0, 57)}...` : first}`;
  return { plan_id: `requirements-${hash}`, name };
}
