import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS } from "../../src/adapters/browser/chromium.js";
import { type ApiHarness, apiHarness } from "../support/api.js";
import { browsersAvailable, CHROMIUM } from "../support/browsers.js";

describe.runIf(browsersAvailable)("the interactive API reference at /docs", () => {
  let api: ApiHarness;
  let browser: Browser;
  let base: string;
  let viewerKey: string;

  beforeAll(async () => {
    api = await apiHarness("keys");
    viewerKey = (await api.keys.create("dashboard", "viewer")).key;
    await api.app.listen({ host: "127.0.0.1", port: 0 });
    const address = api.app.server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it("is a page whose every script and stylesheet is this service's own, and each is served", async () => {
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    const refs = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) {
      // Same origin: a path, not another host (a scheme or a protocol-relative //host).
      expect(ref, ref).toMatch(/^\/(?!\/)/);
      const asset = await fetch(new URL(ref, base));
      expect(asset.status, ref).toBe(200);
      expect(asset.headers.get("content-type"), ref).toMatch(/^(text\/css|text\/javascript|image\/png)/);
    }
    expect((await fetch(`${base}/docs/assets/..%2Fpackage.json`)).status).toBe(404);
  });

  it("shows every route in a browser, asking nothing of any other host, and tries a call with an API key", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${base}/docs`);
    const stream = page.locator(".opblock-summary-path", { hasText: "/api/runs/{id}/events/stream" });
    await stream.first().waitFor();
    expect(await page.locator(".opblock").count()).toBeGreaterThan(30);

    // Authorize with a viewer's key, then call GET /api/me from the page.
    await page.locator("button.authorize").first().click();
    await page.locator(".modal-ux input").first().fill(viewerKey);
    await page.locator(".modal-ux button.authorize").click();
    await page.locator(".modal-ux button.close-modal").click();
    const me = page.locator("#operations-console-get_api_me");
    await me.locator(".opblock-summary").click();
    await me.locator("button.try-out__btn").click();
    const answered = page.waitForResponse(`${base}/api/me`);
    await me.locator("button.execute").click();
    expect((await answered).status()).toBe(200);
    await expect.poll(async () => me.locator(".live-responses-table").textContent()).toContain('"dashboard"');

    expect(requested.filter((url) => new URL(url).origin !== base)).toEqual([]);
    expect(requested).toContain(`${base}/openapi.json`);
    expect(requested).toContain(`${base}/api/me`);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
