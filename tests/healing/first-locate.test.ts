import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PlaywrightDriver } from "../../src/adapters/browser/playwright.js";
import { fingerprintOf } from "../../src/domain/healing/fingerprint.js";
import { fingerprintsOf } from "../../src/engine/locate-nodes.js";
import type { BrowserDriver, BrowserSession } from "../../src/ports/browser.js";
import { browsersAvailable, chromiumOptions } from "../support/browsers.js";

/**
 * An element found by its selector is recorded with the same surroundings as one found in a snapshot: its
 * row's text (what keeps "delete Pay rent" off another row) and its heading with the heading's box (what its
 * position is measured from when the section moves). Without them a step located by CSS would have neither.
 */
const page = `<html><body><h1>Home</h1><section><h2>Groceries</h2><ul>
  <li>Pay rent <button id="del-1" class="destroy">x</button></li>
  <li>Buy oat milk <button id="del-2" class="destroy">x</button></li></ul></section></body></html>`;

describe.runIf(browsersAvailable)("what first locate records of an element found by selector", () => {
  const app = Fastify();
  let driver: BrowserDriver;
  let session: BrowserSession;
  let url = "";

  beforeAll(async () => {
    app.get("/", async (_request, reply) => reply.type("text/html").send(page));
    await app.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/`;
    driver = new PlaywrightDriver(chromiumOptions);
    session = await driver.newSession();
    await session.navigate(url);
  });
  afterAll(async () => {
    await session?.close();
    await driver?.close();
    await app.close();
  });

  it("matches the snapshot's row text, heading and heading box", async () => {
    const description = (await session.describe({ css: "#del-2" }))!;
    const bySelector = fingerprintOf(description, description.neighbours, description.surroundings);
    const nodes = (await session.accessibilitySnapshot()).nodes;
    const i = nodes.findIndex((n) => n.attributes.id === "del-2");
    const fromSnapshot = fingerprintsOf(nodes)[i]!;
    expect(bySelector.context).toBe("Buy oat milk");
    expect(bySelector.heading).toBe("Groceries");
    expect(bySelector.headingBox!.width).toBeGreaterThan(0);
    expect({
      context: bySelector.context,
      heading: bySelector.heading,
      headingBox: bySelector.headingBox,
    }).toEqual({
      context: fromSnapshot.context,
      heading: fromSnapshot.heading,
      headingBox: fromSnapshot.headingBox,
    });
  });
});
