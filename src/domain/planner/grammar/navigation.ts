import { looksLikeUrlOrPath, type Masked, quoted } from "../text.js";
import { type Clause, imperative, type Reading, type Rule, refuse, step, whole } from "./common.js";

/** The application's own URL: the plan builder puts the real one in. */
export const APP = "{app}";

const HOME =
  /^(?:home|homepage|home page|landing|main|index|start|root|welcome|default|front|app|application|site|website|web app|web site)$/i;
const PARTICLE = /^(sign|log|check) ?(up|in|out|on)$/i;

/** Where a page name leads: "login" is /login, "sign up" is /signup, the home page is the app itself. */
function pagePath(name: string): { url: string } | { refuse: string } {
  const n = name.trim().replace(/\s+/g, " ");
  if (HOME.test(n)) return { url: APP };
  const particle = PARTICLE.exec(n);
  if (particle) return { url: `/${particle[1]!.toLowerCase()}${particle[2]!.toLowerCase()}` };
  if (/^[A-Za-z][\w-]*$/.test(n) && !/[a-z][A-Z]/.test(n)) return { url: `/${n.toLowerCase()}` };
  return {
    refuse: `"${n}" names a page in words that give no path; write the path (Go to /...) or the URL`,
  };
}

/**
 * What a destination phrase names: a URL or path (quoted or not), "the url X", "the login page",
 * "the home page", "the site". Undefined when it is none of these.
 */
export function destination(phrase: string, m: Masked): { url: string } | { refuse: string } | undefined {
  let p = phrase
    .trim()
    .replace(/^(?:the|a|an)\s+(?:the\s+)?/i, "")
    .replace(/^(?:url|address|link|page at|site at)\s+(?=«)/i, "");
  const q = quoted(p, m);
  if (q !== undefined) {
    if (looksLikeUrlOrPath(q)) return { url: q.trim() };
    return HOME.test(q.trim()) ? { url: APP } : undefined;
  }
  if (looksLikeUrlOrPath(p)) return { url: p };
  if (/^(?:home ?page|home page of «\d+»|home page of [\w-]+)$/i.test(p)) return { url: APP };
  if (/^(?:[\w-]+ )?(?:app|application|site|website|web app)$/i.test(p)) return { url: APP };
  p = p.replace(/\s+of «\d+»$/, "");
  const page = /^(.*?)(?:\s+|(?<=»))(?:page|screen)$|^()(?:page|screen)$/i.exec(p);
  if (page) {
    const name = page[1]!.trim();
    const nq = quoted(name, m);
    if (nq !== undefined) return looksLikeUrlOrPath(nq) ? { url: nq.trim() } : pagePath(nq);
    if (!name || /«/.test(name)) return undefined;
    return pagePath(name);
  }
  return undefined;
}

const go = (c: Clause, phrase: string): Reading => {
  const d = destination(phrase, c.m);
  if (!d) return undefined;
  return "refuse" in d ? d : step("navigate", { url: d.url });
};

/** The checks that say where the browser is: "I should be on the cart page", "the URL contains /x". */
const expectAt = (c: Clause, phrase: string): Reading => {
  const d = destination(phrase, c.m);
  if (!d) return undefined;
  if ("refuse" in d) return d;
  if (d.url === APP || d.url === "/")
    return refuse(
      "the home page's address is part of every page's address, so a check on it would always pass",
    );
  return step("assert", { url_contains: d.url });
};

const ARRIVED =
  "(?:(?:should|must|will) )?(?:be |am |is |are |get |gets |been )?(?:now |then |still )?(?:(?:re)?directed|navigated|taken|sent|returned|brought|moved|landed|land|lands|redirect(?:ed)?)";
const AT = "(?:(?:should|must|will) )?(?:be|am|is|are|'m|remain|stay) (?:now |still |then )?(?:on|at|in)";
const SUBJECT = "(?:i|we|you|they|he|she|(?:the )?user|the browser|the page)";

export const navigationRules: Rule[] = [
  (c) => {
    const at = whole(`(?:i'm|${SUBJECT} ${AT}|${AT}) (.+)`).exec(c.text);
    if (!at) return undefined;
    // "Given I am on the login page" opens it; under "Then", or with "should", it is a check.
    return c.then || /\b(?:should|must|will|still|remain|stay)\b/i.test(c.text.slice(0, 30))
      ? expectAt(c, at[1]!)
      : go(c, at[1]!);
  },
  (c) => {
    const arrived = whole(`(?:${SUBJECT} )?${ARRIVED} (?:to|on|at|onto) (.+)`).exec(c.text);
    if (!arrived) return undefined;
    // "redirected to the dashboard": a place named in one word is its page.
    const place = /^the ([a-z][\w-]*)$/i.exec(arrived[1]!.trim());
    return expectAt(c, place ? `the ${place[1]} page` : arrived[1]!);
  },
  (c) => {
    // "the Rooms page is open": the browser is at the Rooms page.
    const open = whole(
      "(?:(?:verify|check|ensure|confirm|make sure|validate|validates)(?: that)? )?(?:(?:the )?user (?:validates|verifies|checks|sees)(?: that)? )?(?:the )?(.+? (?:page|screen)) (?:is|should be) (?:open|opened|shown|displayed|loaded)",
    ).exec(c.text);
    if (open) return expectAt(c, open[1]!);
    // "Given the page is open "https://shop.example"": the address is named, so under Given it is opened.
    const named = whole(
      "(?:the )?(?:page|browser|site|website) is (?:open|opened|loaded)(?: (?:at|on|with))? (.+)",
    ).exec(c.text);
    if (named) return c.then ? expectAt(c, named[1]!) : go(c, named[1]!);
    return undefined;
  },
  (c) => {
    const verified = whole(
      `(?:verify|check|ensure|confirm|make sure|assert|validate)(?: that| if)? ${SUBJECT} (?:is|am|are) (?:now )?(?:on|at) (.+)`,
    ).exec(c.text);
    return verified ? expectAt(c, verified[1]!) : undefined;
  },
  (c) => {
    const t = imperative(c.text);
    const to = whole(
      "(?:go|navigate|browse|get|head|return|come|move|go back|navigate back)(?: directly)? (?:to|on|at|into) (.+)",
    ).exec(t);
    if (to) return go(c, to[1]!);
    const open = whole(
      "(?:visit|visited|open|opened|load|loaded|access|accessed|launch|launched|reach|reached)(?: directly)? (.+)",
    ).exec(t);
    return open ? go(c, open[1]!) : undefined;
  },
];
