import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validatePlan } from "../../src/domain/plan/parse.js";
import { browsersAvailable } from "../support/browsers.js";
import { type Harness, harness } from "../support/engine.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";

describe.runIf(browsersAvailable).each(["playwright", "webdriverio"] as const)(
  "dialogs and tabs through the engine: %s",
  (driver) => {
    let h: Harness;
    let server: FixtureServer;

    beforeAll(async () => {
      h = await harness();
      server = await startFixtureServer();
    });
    afterAll(async () => {
      await h?.close();
      await server?.close();
    });

    it("answers a prompt and a confirm as the steps say, and reports what the dialogs said", async () => {
      const plan = validatePlan(
        {
          name: "Dialogs",
          application_url: server.url("/"),
          test_steps: [
            { action: "navigate", params: { url: "/dialogs-tabs.html" } },
            { action: "dialog", params: { accept: true, prompt_text: "Ada" } },
            { action: "click", params: { target: { css: "#ask" } } },
            { action: "assert", params: { text: "Hello Ada" } },
            { action: "dialog", params: { accept: false } },
            { action: "click", params: { target: { css: "#confirm" } } },
            { action: "assert", params: { text: "Kept" } },
            { action: "dialog", params: { accept: true } },
            { action: "click", params: { target: { css: "#confirm" } } },
            { action: "assert", params: { text: "Deleted" } },
          ],
        },
        "dialogs",
      );
      const state = await h.engine().run({ plan, driver });
      expect(state.status, JSON.stringify(state.steps)).toBe("passed");
      const report = JSON.stringify(state.steps);
      expect(report).toContain('the prompt \\"Your name?\\" was accepted with \\"Ada\\"');
      expect(report).toContain('the confirm \\"Delete everything?\\" was dismissed');
      expect(report).toContain('the confirm \\"Delete everything?\\" was accepted');
    });

    it("refuses to claim it accepted a confirm that opened, unanswered, before the step", async () => {
      const plan = validatePlan(
        {
          name: "Late dialog step",
          application_url: server.url("/"),
          test_steps: [
            { action: "navigate", params: { url: "/dialogs-tabs.html" } },
            { action: "click", params: { target: { css: "#confirm" } } },
            { action: "dialog", params: { accept: true }, max_retries: 0 },
          ],
        },
        "late-dialog",
      );
      const state = await h.engine().run({ plan, driver });
      expect(state.status).toBe("failed");
      expect(JSON.stringify(state.steps)).toMatch(/opened before this step and was dismissed/);
    });

    // On WebdriverIO the popup's scripts go by classic WebDriver: BiDi never answered them there.
    it("switches to a popup and a target=_blank tab, and closing one returns to the tab before", async () => {
      const plan = validatePlan(
        {
          name: "Tabs",
          application_url: server.url("/"),
          test_steps: [
            { action: "navigate", params: { url: "/dialogs-tabs.html" } },
            { action: "click", params: { target: { css: "#popup" } } },
            { action: "switch_tab", params: { title_contains: "popup window" } },
            { action: "assert", params: { text: "The popup says hi" } },
            { action: "close_tab", params: {} },
            { action: "assert", params: { text: "Main page" } },
            { action: "click", params: { target: { css: "#help" } } },
            { action: "switch_tab", params: { url_contains: "from=link" } },
            { action: "assert", params: { url_contains: "from=link" } },
            { action: "switch_tab", params: { index: 0 } },
            { action: "assert", params: { text: "Main page" } },
            { action: "close_tab", params: { index: 1 } },
            { action: "assert", params: { title_contains: "Dialogs and tabs" } },
          ],
        },
        "tabs",
      );
      const state = await h.engine().run({ plan, driver });
      expect(state.status, JSON.stringify(state.steps)).toBe("passed");
      const report = JSON.stringify(state.steps);
      expect(report).toContain("now on tab 1: Popup window");
      expect(report).toContain("closed; now on tab 0: Dialogs and tabs");
    });
  },
);
