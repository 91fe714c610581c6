import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ScriptsDisabledError, UrlRefusedError } from "../../src/adapters/browser/url-policy.js";
import type { BrowserDriver, BrowserSession, Target } from "../../src/ports/browser.js";
import { browsersAvailable, driverFactories } from "../support/browsers.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";

describe.runIf(browsersAvailable).each(driverFactories)("browser driver contract: $kind", ({ create }) => {
  let server: FixtureServer;
  let driver: BrowserDriver;
  let session: BrowserSession;

  beforeAll(async () => {
    server = await startFixtureServer();
    driver = create();
    await driver.launch();
    session = await driver.newSession({ allowScripts: false });
  });
  afterAll(async () => {
    await session?.close();
    await driver?.close();
    await server?.close();
  });

  const open = (page: string) => session.navigate(server.url(page));
  const nodeNamed = async (role: string, name: string) => {
    const snapshot = await session.accessibilitySnapshot();
    const node = snapshot.nodes.find((n) => n.role === role && n.name === name);
    if (!node) {
      throw new Error(
        `no ${role} "${name}" in ${snapshot.nodes.map((n) => `${n.role}:${n.name}`).join(", ")}`,
      );
    }
    return node;
  };

  describe("navigation", () => {
    it("opens a page and reports its URL, title and source", async () => {
      await open("nav1.html");
      expect(await session.currentUrl()).toBe(server.url("nav1.html"));
      expect(await session.title()).toBe("Step 1");
      expect(await session.pageSource()).toMatch(/^<!DOCTYPE html>[\s\S]*<h1>Step 1 of 3<\/h1>/);
    });

    it("follows a navigation chain", async () => {
      await open("nav1.html");
      await session.click({ css: "#next" });
      await session.waitForNavigation();
      await session.click({ css: "#next" });
      await session.waitForNavigation();
      expect(await session.title()).toBe("Step 3");
      expect(await session.textOf({ css: "#done" })).toBe("All done");
    });

    it("refuses URLs outside http(s), hosts outside the allow-list, and links to them", async () => {
      for (const url of [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "chrome://settings",
        "http://internal.corp/",
      ]) {
        await expect(session.navigate(url)).rejects.toBeInstanceOf(UrlRefusedError);
      }
      await open("nav1.html");
      await expect(session.click({ css: "#outside" })).rejects.toThrow(
        /example\.invalid.*not in the allow-list/,
      );
      expect(await session.currentUrl()).not.toContain("example.invalid");
    });
  });

  describe("forms and input", () => {
    it("types, selects, checks and submits; the page sees a user's input", async () => {
      await open("form.html");
      await session.type({ css: "#email" }, "alice@example.com");
      await session.type({ css: "#password" }, "correct horse");
      await session.select({ css: "#plan" }, ["Professional"]);
      await session.select({ css: "#topics" }, ["news", "events"]);
      await session.click({ css: "#terms" });
      await session.click({ css: "#submit" });
      expect(await session.textOf({ css: "#result" })).toBe("Welcome, alice@example.com (pro; news,events)");
    });

    it("shows validation errors, and clearing replaces earlier text", async () => {
      await open("form.html");
      await session.type({ css: "#email" }, "not-an-email");
      await session.type({ css: "#email" }, "still wrong", { clear: true });
      expect(await session.textOf({ css: "#email" })).toBe("still wrong");
      await session.click({ css: "#submit" });
      expect(await session.textOf({ css: "#error" })).toContain("Enter a valid email address");
      const email = await nodeNamed("textbox", "Email address");
      expect(email.states).toMatchObject({ invalid: true, required: true });
    });

    it("presses keys", async () => {
      await open("form.html");
      await session.press("Escape");
      expect(await session.title()).toBe("escaped");
      await session.type({ css: "#bio" }, "abc");
      await session.press("Backspace");
      expect(await session.textOf({ css: "#bio" })).toBe("ab");
    });

    it("hovers to open a menu", async () => {
      await open("menu.html");
      expect(await session.exists({ css: "#laptops" })).toBe(true);
      expect((await session.accessibilitySnapshot()).nodes.some((n) => n.name === "Laptops")).toBe(false);
      await session.hover({ css: "#products" });
      expect((await nodeNamed("link", "Laptops")).role).toBe("link");
    });

    it("drags and drops", async () => {
      await open("drag.html");
      await session.dragAndDrop({ css: "#card" }, { css: "#done" });
      expect(await session.textOf({ css: "#where" })).toBe("card in done");
    });

    it("uploads files", async () => {
      const dir = mkdtempSync(join(tmpdir(), "td-upload-"));
      writeFileSync(join(dir, "a.txt"), "hello");
      writeFileSync(join(dir, "b.csv"), "x,y\n1,2\n");
      await open("upload.html");
      await session.uploadFiles({ css: "#files" }, [join(dir, "a.txt"), join(dir, "b.csv")]);
      // Text comes back with whitespace collapsed, as the locator layer matches it.
      expect(await session.textOf({ css: "#names" })).toBe("a.txt (5 bytes) b.csv (8 bytes)");
    });

    it("clicks at coordinates", async () => {
      await open("modal.html");
      const button = await nodeNamed("button", "Delete account");
      await session.clickAt(button.box.x + button.box.width / 2, button.box.y + button.box.height / 2);
      expect((await nodeNamed("dialog", "Confirm deletion")).role).toBe("dialog");
      await session.click({ css: "#confirm" });
      expect(await session.textOf({ css: "#status" })).toBe("Account deleted");
    });
  });

  describe("targets", () => {
    it("finds by XPath and reports missing, ambiguous and unknown targets clearly", async () => {
      await open("form.html");
      expect(await session.textOf({ xpath: "//button[@type='submit']" })).toBe("Sign up");
      await expect(session.click({ css: "#nope" })).rejects.toThrow(/no element matches \{"css":"#nope"\}/);
      await expect(session.click({ css: "button" })).rejects.toThrow(/matches 2 elements/);
      await expect(session.click({ ref: "e999" })).rejects.toThrow(/unknown element ref e999/);
    });

    it("acts inside iframes through refs from the snapshot", async () => {
      await open("frames.html");
      const card = await nodeNamed("textbox", "Card number");
      expect(card.path.frames).toEqual(["#card-frame"]);
      expect(card.box.x).toBeGreaterThanOrEqual(40);
      await session.type({ ref: card.ref }, "4242");
      await session.click({ ref: (await nodeNamed("button", "Pay now")).ref });
      expect(await session.textOf({ css: "#paid", frame: "#card-frame" })).toBe("Paid with 4242");
    });

    it("acts inside nested open shadow roots", async () => {
      await open("shadow.html");
      const nick = await nodeNamed("textbox", "Nickname");
      expect(nick.path.hosts).toEqual(["#card"]);
      await session.type({ ref: nick.ref }, "ally");
      await session.click({ ref: (await nodeNamed("button", "Save nickname")).ref });
      expect(await session.textOf({ css: "#log" })).toBe("Saved ally");
      const verify = await nodeNamed("button", "Verify");
      expect(verify.path.hosts).toEqual(["#card", "#badge"]);
      await session.click({ ref: verify.ref });
      expect(await session.textOf({ css: "#log" })).toBe("Verified");
    });
  });

  describe("accessibility snapshot", () => {
    it("lists roles, accessible names, states and boxes", async () => {
      await open("form.html");
      const snapshot = await session.accessibilitySnapshot();
      const find = (role: string, name: string) =>
        snapshot.nodes.find((n) => n.role === role && n.name === name);
      expect(find("heading", "Create your account")).toMatchObject({ level: 1, tag: "h1" });
      expect(find("textbox", "Email address")?.attributes).toMatchObject({
        placeholder: "you@example.com",
        type: "email",
      });
      expect(find("textbox", "Password")).toBeDefined();
      expect(find("combobox", "Plan")).toMatchObject({ value: "free" });
      expect(find("listbox", "Topics")).toBeDefined();
      expect(find("checkbox", "I accept the terms")?.states.checked).toBe(false);
      expect(find("textbox", "About you")?.tag).toBe("textarea");
      expect(find("button", "Disabled action")?.states.disabled).toBe(true);
      const submit = find("button", "Sign up")!;
      expect(submit.box.width).toBeGreaterThan(0);
      expect(submit.inViewport).toBe(true);
      expect(submit.domPath).toBe("html>body>main>form>button");
      expect(snapshot.title).toBe("Sign up");
      const roles = new Set(snapshot.nodes.map((n) => n.role));
      expect(roles.has("main")).toBe(true);
    });

    it("refs address the snapshot's elements", async () => {
      await open("form.html");
      await session.type({ ref: (await nodeNamed("textbox", "Email address")).ref }, "bob@example.com");
      expect(await session.textOf({ css: "#email" })).toBe("bob@example.com");
    });
  });

  describe("page state", () => {
    it("scrolls to a position and to an element", async () => {
      await open("menu.html");
      await session.scrollTo({ x: 0, y: 400 });
      expect(await session.evaluate<number>("Math.round(window.scrollY)")).toBe(400);
      await session.scrollIntoView({ css: "#footer" });
      expect((await nodeNamed("paragraph", "Footer text")).inViewport).toBe(true);
    });

    it("takes viewport and full-page screenshots as PNG", async () => {
      await session.setViewport({ width: 800, height: 600 });
      await open("menu.html");
      const viewport = PNG.sync.read(await session.screenshot());
      const full = PNG.sync.read(await session.screenshot({ fullPage: true }));
      expect(viewport.width).toBe(800);
      expect(viewport.height).toBe(600);
      expect(full.height).toBeGreaterThan(2500);
      expect(await session.getViewport()).toEqual({ width: 800, height: 600 });
      await session.setViewport({ width: 1280, height: 720 });
    });

    it("reads, writes and clears cookies, local and session storage", async () => {
      await open("storage.html");
      await session.setCookies([{ name: "session", value: "xyz", path: "/" }]);
      expect((await session.getCookies()).find((c) => c.name === "session")?.value).toBe("xyz");
      await session.setStorage("local", { user: "carol" });
      await session.setStorage("session", { theme: "dark" });
      await session.reload();
      expect(await session.textOf({ css: "#greeting" })).toBe("Welcome back, carol");
      expect(await session.textOf({ css: "#theme" })).toBe("Theme: dark");
      expect(await session.textOf({ css: "#cookie" })).toBe("Session: xyz");
      expect(await session.getStorage("local")).toEqual({ user: "carol" });
      await session.clearStorage("local");
      await session.clearStorage("session");
      await session.clearCookies();
      expect(await session.getStorage("local")).toEqual({});
      expect(await session.getCookies()).toEqual([]);
    });

    it("captures console messages, JavaScript errors and network exchanges", async () => {
      await open("errors.html");
      await session.waitForNavigation({ waitUntil: "networkidle" });
      const console = session.consoleLogs().map((c) => `${c.level}:${c.text}`);
      expect(console).toEqual(
        expect.arrayContaining([
          "log:page booted",
          "warn:deprecated API used",
          "error:failed to load widget",
        ]),
      );
      expect(session.jsErrors().some((e) => e.message.includes("widget exploded"))).toBe(true);
      const network = session.network();
      const image = network.find((n) => n.url.endsWith("/missing-image.png"));
      const api = network.find((n) => n.url.endsWith("/api/status/500"));
      expect(image?.status).toBe(404);
      expect(api).toMatchObject({ status: 500, method: "GET" });
      expect(api?.durationMs).toBeGreaterThanOrEqual(0);
      expect(session.pendingRequests()).toEqual([]);
    });
  });

  describe("scripts", () => {
    it("refuses scripts unless the configuration allows them", async () => {
      await expect(session.executeScript("return 1")).rejects.toBeInstanceOf(ScriptsDisabledError);
    });

    it("runs scripts as function bodies with arguments when allowed", async () => {
      const scripted = await driver.newSession({ allowScripts: true });
      try {
        await scripted.navigate(server.url("form.html"));
        expect(await scripted.executeScript<number>("return arguments[0] + arguments[1]", 2, 3)).toBe(5);
        expect(await scripted.executeScript<string>("return document.title")).toBe("Sign up");
      } finally {
        await scripted.close();
      }
    });
  });

  describe("isolation", () => {
    it("sessions do not share cookies or storage", async () => {
      const a = await driver.newSession();
      const b = await driver.newSession();
      try {
        await a.navigate(server.url("storage.html"));
        await b.navigate(server.url("storage.html"));
        await a.click({ css: "#save" } satisfies Target);
        await a.waitForNavigation();
        expect(await a.textOf({ css: "#greeting" })).toBe("Welcome back, alice");
        await b.reload();
        expect(await b.textOf({ css: "#greeting" })).toBe("Hello, stranger");
        expect(await b.getCookies()).toEqual([]);
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });
  });
});
