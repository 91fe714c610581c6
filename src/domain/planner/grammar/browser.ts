import { ORDINAL_WORD, ordinal, plainValue } from "../text.js";
import { imperative, type Rule, refuse, step, whole } from "./common.js";

const DIALOG =
  "(?:the )?(?:js |javascript |browser |confirm(?:ation)? |prompt )?(?:alert|dialog|confirm(?:ation)?|pop-?up|prompt|alertbox)(?: dialog| box| alert| window)?";
const TAB = "(?:browser )?(?:tab|window)";

/** The browser itself: history, tabs, and the page's JavaScript dialogs. */
export const browserRules: Rule[] = [
  (c) => {
    const t = imperative(c.text);
    if (
      whole(
        "(?:go|navigate|move|step) back(?: to the previous page)?|(?:click|press) the browser'?s? back button",
      ).test(t)
    )
      return step("go_back", {});
    if (whole("(?:go|navigate|move|step) forward|(?:click|press) the browser'?s? forward button").test(t))
      return step("go_forward", {});
    if (whole("(?:reload|refresh)(?: the)?(?: current| browser)?(?: page| browser| screen)?").test(t))
      return step("reload", {});
    return undefined;
  },
  (c) => {
    const t = imperative(c.text);
    const nth = whole(`switch(?: focus)? (?:back )?to (?:the )?(${ORDINAL_WORD}) ${TAB}`).exec(t);
    if (nth) return step("switch_tab", { index: ordinal(nth[1]!)! - 1 });
    const titled = whole(
      `switch(?: focus)? to (?:the )?${TAB} (?:titled|with (?:the )?title|named) (.+)`,
    ).exec(t);
    if (titled) {
      const title = plainValue(titled[1]!, c.m);
      return title ? step("switch_tab", { title_contains: title }) : undefined;
    }
    if (whole(`switch(?: focus)? to (?:the )?(?:new|next|previous|other|newly opened|opened) ${TAB}`).test(t))
      return refuse('say which tab: "the second tab", or "the tab titled ..."');
    const close = whole(`close (?:the )?(?:(${ORDINAL_WORD}) |current |new )?${TAB}`).exec(t);
    if (close) return step("close_tab", close[1] ? { index: ordinal(close[1])! - 1 } : {});
    return undefined;
  },
  (c) => {
    const t = imperative(c.text);
    if (whole(`(?:accept|confirm|ok|okay) ${DIALOG}`).test(t)) return step("dialog", { accept: true });
    if (whole(`(?:dismiss|cancel|decline|reject) ${DIALOG}`).test(t))
      return step("dialog", { accept: false });
    const button = whole(`(?:click|press|select|choose) (?:on )?(\\S+) (?:on|in) ${DIALOG}`).exec(t);
    const answer = button ? plainValue(button[1]!, c.m)?.toLowerCase() : undefined;
    if (answer && /^(?:accept|ok|okay|yes|dismiss|cancel|no)$/.test(answer))
      return step("dialog", { accept: /^(?:accept|ok|okay|yes)$/.test(answer) });
    const prompt =
      whole(`(?:fill in|fill|answer) ${DIALOG} with (.+)`).exec(t) ??
      whole(`(?:type|enter|write) (.+?) (?:in|into) ${DIALOG}`).exec(t);
    if (prompt) {
      const text = plainValue(prompt[1]!, c.m);
      return text === undefined ? undefined : step("dialog", { accept: true, prompt_text: text });
    }
    if (
      whole(
        `${DIALOG} (?:should |must |will )?(?:text |message )?(?:contains?|says?|reads?|shows?|have|has|be|is)\\b.*`,
      ).test(c.text) ||
      whole(`(?:accept|dismiss) ${DIALOG} with (?:the )?(?:message|text) .+`).test(t)
    )
      return refuse("TestDriver answers the page's dialogs but does not read their text");
    return undefined;
  },
];
