import type { DialogAnswer, DialogRecord } from "../../ports/browser.js";
import { pushCapped } from "./session-records.js";

export interface OpenedDialog {
  type: string;
  message: string;
  defaultValue?: string;
}

/**
 * Answers the page's JavaScript dialogs. A dialog blocks the page (and, in Playwright, the action that
 * opened it) until answered, so the answer is given before the dialog opens; one that opens without an
 * answer is dismissed at once, as the frameworks do by default, and recorded as unanswered.
 */
export class DialogDesk {
  private armed: DialogAnswer | undefined;
  private readonly log: DialogRecord[] = [];
  /** Dialogs answered since the last `arm`, the first of which a dialog step reports. */
  private sinceArm: DialogRecord[] = [];

  arm(answer: DialogAnswer): DialogRecord | undefined {
    const earlier = this.sinceArm[0];
    this.sinceArm = [];
    if (earlier && !earlier.answered) return earlier;
    this.armed = answer;
    return undefined;
  }

  async opened(dialog: OpenedDialog, respond: (accept: boolean, text?: string) => Promise<void>) {
    const answer = this.armed;
    this.armed = undefined;
    const accept = answer?.accept ?? false;
    const promptText =
      dialog.type === "prompt" && accept ? (answer?.promptText ?? dialog.defaultValue) : undefined;
    const record: DialogRecord = {
      type: (["alert", "confirm", "prompt", "beforeunload"].includes(dialog.type)
        ? dialog.type
        : "alert") as DialogRecord["type"],
      message: dialog.message,
      accepted: accept,
      ...(promptText !== undefined ? { promptText } : {}),
      answered: answer !== undefined,
      at: Date.now(),
    };
    // A dialog already gone (answered through a duplicate event) is not recorded twice.
    const answered = await respond(accept, promptText).then(
      () => true,
      () => false,
    );
    if (!answered) return;
    pushCapped(this.log, record);
    this.sinceArm.push(record);
  }

  records(): DialogRecord[] {
    return [...this.log];
  }
}
