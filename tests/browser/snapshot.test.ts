import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsBlobStore } from "../../src/adapters/blobs/fs-blob-store.js";
import { focusElement, readFields, restoreFields } from "../../src/adapters/browser/form-state.js";
import { captureSnapshot, restoreSnapshot } from "../../src/adapters/browser/snapshot.js";
import { openPGlite } from "../../src/adapters/eventstore/open.js";
import { SnapshotStore } from "../../src/adapters/snapshots/snapshot-store.js";
import { migrate } from "../../src/adapters/sql/migrate.js";
import type { RecordedEvent } from "../../src/domain/events/envelope.js";
import type { BrowserDriver } from "../../src/ports/browser.js";
import { fieldMatches } from "../../src/ports/page.js";
import {
  lastSnapshotOf,
  snapshotIndexProjection,
  snapshotsOf,
} from "../../src/projections/snapshot-index.js";
import { browsersAvailable, driverFactories } from "../support/browsers.js";
import { type FixtureServer, startFixtureServer } from "../support/fixture-server.js";

describe.runIf(browsersAvailable).each(driverFactories)("state snapshots: $kind", ({ create }) => {
  let server: FixtureServer;
  let driver: BrowserDriver;
  const blobs = new FsBlobStore(mkdtempSync(join(tmpdir(), "td-blobs-")));

  beforeAll(async () => {
    server = await startFixtureServer();
    driver = create();
  });
  afterAll(async () => {
    await driver.close();
    await server.close();
  });

  it("captures the page's state with a screenshot in the blob store", async () => {
    const session = await driver.newSession();
    try {
      await session.navigate(server.url("errors.html"));
      await session.waitForNavigation({ waitUntil: "networkidle" });
      const snapshot = await captureSnapshot(session, {
        runId: "run-1",
        stepId: "step-3",
        executedSteps: ["navigate /errors.html"],
        testData: { user: "alice" },
        blobs,
      });
      expect(snapshot).toMatchObject({
        runId: "run-1",
        stepId: "step-3",
        url: server.url("errors.html"),
        pageTitle: "Errors",
        viewport: { width: 1280, height: 720 },
        scrollPosition: { x: 0, y: 0 },
        executedSteps: ["navigate /errors.html"],
        testData: { user: "alice" },
      });
      expect(snapshot.domHash).toMatch(/^[0-9a-f]{64}$/);
      expect(snapshot.consoleLogs.map((c) => c.text)).toContain("failed to load widget");
      expect(snapshot.jsErrors.some((e) => e.message.includes("widget exploded"))).toBe(true);
      expect(snapshot.recentResponses.find((r) => r.url.endsWith("/api/status/500"))?.status).toBe(500);
      const png = PNG.sync.read(await blobs.get(snapshot.screenshotHash!));
      expect(png.width).toBe(1280);
    } finally {
      await session.close();
    }
  });

  it("restores URL, cookies, storage, viewport and scroll into a fresh session", async () => {
    const original = await driver.newSession();
    const fresh = await driver.newSession();
    try {
      await original.navigate(server.url("storage.html"));
      await original.click({ css: "#save" });
      await original.waitForNavigation();
      await original.setViewport({ width: 1000, height: 700 });
      await original.scrollTo({ x: 0, y: 500 });
      expect(await original.textOf({ css: "#greeting" })).toBe("Welcome back, alice");
      const snapshot = await captureSnapshot(original, { runId: "run-2", stepId: "s1" });

      await fresh.navigate(server.url("storage.html"));
      expect(await fresh.textOf({ css: "#greeting" })).toBe("Hello, stranger");
      const report = await restoreSnapshot(fresh, snapshot);
      expect(report).toMatchObject({ urlMatches: true, storageMatches: true, scrollMatches: true });
      expect(await fresh.textOf({ css: "#greeting" })).toBe("Welcome back, alice");
      expect(await fresh.textOf({ css: "#theme" })).toBe("Theme: dark");
      expect(await fresh.textOf({ css: "#cookie" })).toBe("Session: abc123");
      expect(await fresh.getViewport()).toEqual({ width: 1000, height: 700 });
      expect((await fresh.pageState()).scroll.y).toBe(500);
    } finally {
      await Promise.all([original.close(), fresh.close()]);
    }
  });

  it("keeps what was typed, ticked and chosen (never a password or a secret) and puts it back, focus included", async () => {
    const original = await driver.newSession();
    const fresh = await driver.newSession();
    const deep = { path: { frames: [], hosts: ["#deep"], selector: "#code" } };
    try {
      await original.navigate(server.url("forms.html"));
      await original.type({ css: "#notes" }, "Ring twice\nthen wait");
      await original.click({ css: "#agree" });
      await original.click({ css: "#news" });
      await original.click({ css: "#plan-pro" });
      await original.select({ css: "#colour" }, ["green"]);
      await original.select({ css: "#extras" }, ["wrap", "fast"]);
      await original.type({ css: "#password" }, "s3cret-pw");
      await original.type({ css: "#token" }, "tok-1234");
      await original.type(deep, "deep value");
      await original.type({ css: "#card", frame: "#payment" }, "4242");
      while (!(await original.exists({ css: "#coupon" }))) await new Promise((r) => setTimeout(r, 50));
      await original.type({ css: "#coupon" }, "SPRING");
      await original.type({ css: "#name" }, "Ada");
      const snapshot = await captureSnapshot(original, {
        runId: "run-f",
        stepId: "s1",
        secrets: ["tok-1234"],
      });
      const forms = snapshot.forms!;
      const byField = Object.fromEntries(forms.fields.map((f) => [f.path.selector, f]));
      expect(Object.keys(byField).sort()).toEqual(
        [
          "#agree",
          "#card",
          "#code",
          "#colour",
          "#coupon",
          "#extras",
          "#name",
          "#news",
          "#notes",
          "#plan-free",
          "#plan-pro",
        ].sort(),
      );
      expect(byField["#extras"]).toMatchObject({ kind: "select", values: ["wrap", "fast"] });
      expect(byField["#news"]).toMatchObject({ kind: "check", checked: false });
      expect(byField["#card"]!.path.frames).toEqual(["#payment"]);
      expect(byField["#code"]!.path.hosts).toEqual(["#deep"]);
      // Unchanged (#city), hidden (#csrf): not kept. The password and the secret: listed, without values.
      expect(forms.omitted.map((o) => [o.path.selector, o.reason])).toEqual([
        ["#password", "password"],
        ["#token", "secret"],
      ]);
      expect(JSON.stringify(snapshot)).not.toMatch(/s3cret-pw|tok-1234/);
      expect(forms.focused?.selector).toBe("#name");

      await restoreSnapshot(fresh, snapshot);
      const report = await restoreFields(fresh, forms.fields);
      expect(report).toEqual({ restored: forms.fields.length, failed: [] });
      const now = await readFields(
        fresh,
        forms.fields.map((f) => f.path),
      );
      expect(forms.fields.filter((f, i) => !fieldMatches(f, now[i] ?? null))).toEqual([]);
      // The page's scripts saw the input as they would a person's.
      expect(await fresh.textOf({ css: "#mirror" })).toBe("Hello, Ada");
      expect(await fresh.textOf({ css: "#password" })).toBe("");
      expect(await focusElement(fresh, forms.focused!)).toBe(true);
      // A field that is not there is reported, not skipped.
      const gone = await restoreFields(
        fresh,
        [{ path: { frames: [], hosts: [], selector: "#nope" }, kind: "text", value: "x" }],
        {
          waitMs: 200,
        },
      );
      expect(gone).toEqual({
        restored: 0,
        failed: [{ path: expect.anything(), reason: "not found on the page" }],
      });
    } finally {
      await Promise.all([original.close(), fresh.close()]);
    }
  });

  it("stores snapshots by content; the snapshot index projection finds a run's latest one by time", async () => {
    const db = await openPGlite();
    await migrate(db);
    const store = new SnapshotStore(blobs);
    const session = await driver.newSession();
    const runId = "00000000-0000-4000-8000-000000000003";
    const captured = (index: number, hash: string, url: string, at: string) =>
      ({
        streamId: `run-${runId}`,
        type: "SnapshotCaptured",
        data: { index, snapshot_hash: hash, url, title: "", dom_hash: "d".repeat(64), at },
      }) as unknown as RecordedEvent;
    try {
      await session.navigate(server.url("nav1.html"));
      const first = await store.put(await captureSnapshot(session, { runId, stepId: "s1" }));
      const firstAt = Date.now() - 2000;
      await session.navigate(server.url("nav2.html"));
      const second = await store.put(await captureSnapshot(session, { runId, stepId: "s2" }));
      await snapshotIndexProjection.apply(
        [
          captured(0, first, server.url("nav1.html"), new Date(firstAt).toISOString()),
          captured(1, second, server.url("nav2.html"), new Date().toISOString()),
        ],
        db,
        { readStreamUpTo: async () => [] },
      );
      expect(await lastSnapshotOf(db, runId)).toBe(second);
      expect((await store.load((await lastSnapshotOf(db, runId, new Date(firstAt + 10)))!)).stepId).toBe(
        "s1",
      );
      expect((await snapshotsOf(db, runId)).map((s) => s.stepIndex)).toEqual([0, 1]);
      expect((await store.load(second)).pageTitle).toBe("Step 2");
    } finally {
      await session.close();
      await db.close();
    }
  });
});
