import { readTarget } from "../targets.js";
import { quoted } from "../text.js";
import { imperative, type Rule, refuse, step, whole } from "./common.js";

const UNIT: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  minute: 60000,
  minutes: 60000,
  min: 60000,
  mins: 60000,
};

/** Waiting: a time, the page to settle, a text to appear or go, an element to appear. */
export const waitRules: Rule[] = [
  (c) => {
    const t = imperative(c.text);
    const time = whole(
      "(?:wait|waits|waiting|pause|pauses|sleep)(?: for)? (\\d+(?:\\.\\d+)?) ?(ms|milliseconds?|s|secs?|seconds?|minutes?|mins?)(?: (?:for|until) .+)?",
    ).exec(t);
    if (time) {
      const ms = Math.round(Number(time[1]) * UNIT[time[2]!.toLowerCase()]!);
      return ms <= 600_000 ? step("wait", { ms }) : refuse("a wait longer than ten minutes");
    }
    if (whole("(?:wait|waits|waiting|pause)(?: for)? \\d+").test(t))
      return refuse("say the unit: seconds or ms");
    if (
      whole(
        "(?:wait|waits) (?:for|until) (?:the )?(?:page|content|site|app|application|data|results?)(?: to (?:load|finish loading|be loaded)| (?:has |is )?loaded| loads)",
      ).test(t)
    )
      return step("wait", { for: "network_idle" });
    const see = whole("wait (?:to|until i) see (?:the )?(?:text )?(«\\d+»)").exec(t);
    if (see) return step("wait", { text: quoted(see[1]!, c.m) });
    const gone = whole(
      "wait (?:for|until) (.+?) (?:to )?(?:disappears?|vanish(?:es)?|goes? away|(?:is|be) (?:hidden|gone|removed))",
    ).exec(t);
    if (gone) {
      const text = quoted(gone[1]!.trim(), c.m);
      if (text !== undefined) return step("wait", { not_text: text });
      return refuse("waiting for an element to go needs its text in quotes");
    }
    const shows = whole(
      "wait (?:for|until) (.+?)(?: to)? (?:appears?|(?:is |be )?(?:visible|shown|displayed|present)|shows? up|loads?)",
    ).exec(t);
    const plain = shows ?? whole("wait for (?:the )?(?:element )?(.+)").exec(t);
    if (!plain) return undefined;
    const text = quoted(plain[1]!.trim(), c.m);
    if (text !== undefined && shows) return step("wait", { text });
    // "wait for callback": a bare word is no element one can wait for; "the Results table" is.
    if (
      !/^(?:the |an? )|«|[#.[]/i.test(plain[1]!.trim()) &&
      !/\b(?:button|link|field|table|list|dialog|modal|menu)$/i.test(plain[1]!)
    )
      return undefined;
    const where = readTarget(plain[1]!.replace(/^(?:the )?element\s+(?=«)/i, ""), c.m, c.it);
    return where ? step("wait", { target: where.target }) : undefined;
  },
];
