import { isLoopback } from "../../domain/network/policy.js";
import type { BrowserSession } from "../../ports/browser.js";

export interface SecurityFinding {
  rule: string;
  severity: "low" | "medium" | "high";
  /** OWASP Top 10 (2021) category. */
  owasp: string;
  detail: string;
}

const MISCONFIG = "A05:2021 Security Misconfiguration";
const CRYPTO = "A02:2021 Cryptographic Failures";
const INJECTION = "A03:2021 Injection";

const STACK_TRACE = [
  /Traceback \(most recent call last\)/,
  /\bat [\w$.<>]+ \([^)]*:\d+:\d+\)/,
  /Exception in thread "/,
  /\b(java|javax)\.[\w.]+Exception\b/,
  /\bFatal error: .+ in \/.+ on line \d+/,
];
const SECRETS: [RegExp, string][] = [
  [/\bAKIA[0-9A-Z]{16}\b/, "an AWS access key id"],
  [/-----BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY-----/, "a private key"],
  [/\bgh[pousr]_[A-Za-z0-9]{36}\b/, "a GitHub token"],
  [/\bsk_live_[A-Za-z0-9]{20,}\b/, "a Stripe secret key"],
];

/** A value a step typed, as typed, and as findings may show it (the plan's template when it came from the environment). */
export interface TypedInput {
  value: string;
  shown: string;
}

/**
 * Passive checks of the page a step left the browser on, from what the run already saw: the document's
 * response headers, cookies, subresources, forms, the page text and what the run typed. Nothing is sent that
 * the test plan did not send.
 */
export async function passiveSecurityChecks(
  session: BrowserSession,
  typed: TypedInput[],
): Promise<{ url: string; findings: SecurityFinding[] }> {
  const url = await session.currentUrl();
  const page = new URL(url);
  const findings: SecurityFinding[] = [];
  const add = (rule: string, severity: SecurityFinding["severity"], owasp: string, detail: string) =>
    findings.push({ rule, severity, owasp, detail });

  // The document's own response: the last one for this URL.
  const exchanges = session.network();
  const doc = [...exchanges]
    .reverse()
    .find((x) => x.url.split("#")[0] === url.split("#")[0] && x.responseHeaders);
  if (doc?.responseHeaders) {
    const h = Object.fromEntries(Object.entries(doc.responseHeaders).map(([k, v]) => [k.toLowerCase(), v]));
    const csp = h["content-security-policy"];
    if (!csp) add("missing-csp", "medium", MISCONFIG, "no Content-Security-Policy header");
    if (h["x-content-type-options"]?.toLowerCase() !== "nosniff")
      add("missing-x-content-type-options", "low", MISCONFIG, "X-Content-Type-Options is not nosniff");
    if (!h["x-frame-options"] && !/frame-ancestors/i.test(csp ?? ""))
      add("missing-frame-protection", "medium", MISCONFIG, "neither X-Frame-Options nor CSP frame-ancestors");
    if (!h["referrer-policy"]) add("missing-referrer-policy", "low", MISCONFIG, "no Referrer-Policy header");
    if (page.protocol === "https:" && !h["strict-transport-security"])
      add("missing-hsts", "medium", CRYPTO, "an https page without Strict-Transport-Security");
  }

  for (const c of await session.getCookies()) {
    if (!c.httpOnly)
      add("cookie-without-httponly", "medium", MISCONFIG, `cookie ${c.name} is readable by scripts`);
    if (!c.sameSite || c.sameSite === "None")
      add("cookie-without-samesite", "low", MISCONFIG, `cookie ${c.name} has no SameSite protection`);
    // Secure can only be set over https: on an http page its absence is the page's problem, reported above.
    if (page.protocol === "https:" && !c.secure)
      add("cookie-without-secure", "medium", CRYPTO, `cookie ${c.name} is sent over plain http too`);
  }

  if (page.protocol === "https:") {
    for (const x of exchanges.filter((e) => e.url.startsWith("http:")))
      add("mixed-content", "medium", CRYPTO, `${x.method} ${x.url} loaded over http on an https page`);
  }

  const forms = await session.evaluate<string[]>("[...document.forms].map((f) => f.action || location.href)");
  for (const action of forms) {
    const target = new URL(action, url);
    if (target.protocol === "http:" && !isLoopback(target.hostname))
      add("form-posts-over-http", "high", CRYPTO, `a form posts to ${target.href}`);
  }

  const text = await session.pageText();
  const trace = STACK_TRACE.find((re) => re.test(text));
  if (trace)
    add("stack-trace-exposed", "medium", MISCONFIG, `the page shows a stack trace (${trace.source})`);
  for (const [re, what] of SECRETS)
    if (re.test(text)) add("secret-exposed", "high", CRYPTO, `the page shows ${what}`);

  // The page's own API answers since the document loaded (JSON bodies, where the driver reads them).
  const since = doc?.startedAt ?? 0;
  for (const x of exchanges.filter((e) => e.responseBody !== undefined && e.startedAt >= since)) {
    const where = `${x.method} ${new URL(x.url).pathname}`;
    const body = x.responseBody!;
    const inBody = STACK_TRACE.find((re) => re.test(body));
    if (inBody)
      add("stack-trace-exposed", "medium", MISCONFIG, `${where} returns a stack trace (${inBody.source})`);
    for (const [re, what] of SECRETS)
      if (re.test(body)) add("secret-exposed", "high", CRYPTO, `${where} returns ${what}`);
  }

  // Input the run typed that comes back as markup, not as text: a reflected injection.
  const html = await session.pageSource();
  for (const input of typed.filter((t) => /[<>"']/.test(t.value) && t.value.length >= 4)) {
    if (html.includes(input.value))
      add(
        "reflected-input",
        "high",
        INJECTION,
        `typed input ${JSON.stringify(input.shown.slice(0, 60))} appears unescaped in the page`,
      );
  }

  const unique = new Map(findings.map((f) => [`${f.rule}\u0000${f.detail}`, f]));
  return { url, findings: [...unique.values()].sort((a, b) => a.rule.localeCompare(b.rule)) };
}
