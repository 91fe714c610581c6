import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanAccessibility } from "../../src/engine/quality/accessibility.js";
import type { BrowserDriver, BrowserSession } from "../../src/ports/browser.js";
import { browsersAvailable, driverFactories } from "../support/browsers.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";

describe.runIf(browsersAvailable).each(driverFactories)(
  "axe on a page whose CSP forbids eval ($kind)",
  ({ create }) => {
    let server: FixtureServer;
    let driver: BrowserDriver;
    let session: BrowserSession;
    beforeAll(async () => {
      server = await startFixtureServer();
      driver = create();
      await driver.launch();
      session = await driver.newSession();
    });
    afterAll(async () => {
      await session?.close();
      await driver?.close();
      await server?.close();
    });

    it("scans it all the same, and finds the same violations as without the CSP", async () => {
      await session.navigate(server.url("/a11y-bad.html"));
      const open = (await scanAccessibility(session)).map((v) => v.rule).sort();
      await session.navigate(server.url("/a11y-csp"));
      // The CSP holds for the page: an inline script it adds does not run.
      expect(
        await session.evaluate(
          "(() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.head.appendChild(s); return !!window.__ran; })()",
        ),
      ).toBe(false);
      const strict = (await scanAccessibility(session)).map((v) => v.rule).sort();
      expect(strict.length).toBeGreaterThan(0);
      expect(strict).toEqual(open);
    });
  },
);
