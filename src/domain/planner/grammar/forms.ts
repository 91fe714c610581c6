import { ENV_REF } from "../../plan/secrets.js";
import { type Masked, quoted } from "../text.js";
import { imperative, type Rule, refuse, type Step, step, whole } from "./common.js";

const ENV = new RegExp(ENV_REF.source);

/** The form's own submit button, whatever it is called. */
export const SUBMIT = { css: "form [type=submit], form button:not([type])" };

const LOG_IN =
  "(?:log ?in|login|logs in|sign ?in|signs in|log on|logged in|signed in|have logged in|have signed in|am logged in|am signed in|is logged in)";

function credential(phrase: string, m: Masked): string | undefined {
  const p = phrase
    .trim()
    .replace(
      /^(?:the |a |my )?(?:user(?:name)?|e-?mail(?: address)?|account|password|pass|pwd)\s+(?=«|\S)/i,
      "",
    );
  const q = quoted(p, m);
  if (q !== undefined) return q;
  return /^[^\s«]+$/.test(p) && !/^(?:admin|user|example|valid|invalid|correct|incorrect)$/i.test(p)
    ? p
    : undefined;
}

/** Logging in with a user name and a password, and submitting a form. */
export const formRules: Rule[] = [
  (c) => {
    const t = imperative(c.text);
    const m =
      whole(
        `${LOG_IN}(?: to (?:the )?(?:site|app|application))? (?:as|with)(?: (?:the )?(?:user(?:name)?|e-?mail(?: address)?|account))? (.+?),? (?:and|with|using)(?: (?:the|a|my))? (?:password|pass|pwd) (.+)`,
      ).exec(t) ?? whole(`${LOG_IN} (?:as|with) («\\d+»),? (?:and|with|using) («\\d+»)`).exec(t);
    if (!m) {
      if (whole(`${LOG_IN}(?: (?:as|with|using) .+)?`).test(t))
        return refuse("a log-in needs the user name and the password (Log in as bob with password ...)");
      return undefined;
    }
    const user = credential(m[1]!, c.m);
    const password = credential(m[2]!, c.m);
    if (!user || !password)
      return refuse("a log-in needs the user name and the password, each in quotes or as one word");
    // Typed field by field, as the user would: the password step is a secret like any typed secret.
    const steps: Step[] = [
      { action: "type", params: { target: user.includes("@") ? "Email" : "Username", text: user } },
      {
        action: "type",
        params: { target: "Password", text: password, ...(ENV.test(password) ? {} : { secret: true }) },
      },
      {
        action: "click",
        params: { target: { role: "button", description: /sign/i.test(t) ? "Sign in" : "Log in" } },
      },
    ];
    return steps;
  },
  (c) => {
    const t = imperative(c.text);
    if (
      whole("(?:submit|send)(?: the| this| my)?(?: [\\w-]+)? form").test(t) ||
      whole("(?:the )?(?:[\\w-]+ )?form (?:is|gets|has been) submitted").test(c.text)
    )
      return step("click", { target: SUBMIT });
    return undefined;
  },
];
