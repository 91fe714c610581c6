import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { BlobNotFoundError, FsBlobStore } from "../../src/adapters/blobs/fs-blob-store.js";
import { UrlPolicy } from "../../src/adapters/browser/url-policy.js";
import { compareScreens } from "../../src/adapters/browser/visual-diff.js";
import { loadWebDriverKeys, toWebDriverKeys } from "../../src/adapters/browser/webdriverio-keys.js";
import { WaitLearner } from "../../src/domain/waits.js";

describe("URL policy", () => {
  const policy = new UrlPolicy(["app.example.com", "*.staging.example.com", "api.example.com:8443"]);

  it("allows loopback and the allow-list", () => {
    for (const url of [
      "http://127.0.0.1:3000/x",
      "http://localhost/",
      "http://[::1]:8080/",
      "https://app.example.com/login",
      "https://a.staging.example.com/",
      "https://api.example.com:8443/v1",
    ]) {
      expect(policy.allows(url), url).toBe(true);
    }
  });

  it("refuses other schemes, hosts, ports and credentials, saying why", () => {
    expect(() => policy.check("file:///etc/passwd")).toThrow(/only http and https are allowed, not file:/);
    expect(() => policy.check("javascript:alert(1)")).toThrow(/not javascript:/);
    expect(() => policy.check("chrome://settings")).toThrow(/not chrome:/);
    expect(() => policy.check("http://169.254.169.254/latest/meta-data")).toThrow(
      /169\.254\.169\.254 is a metadata address/,
    );
    expect(() => policy.check("https://staging.example.com/")).toThrow(/not in the allow-list/);
    expect(() => policy.check("https://api.example.com/")).toThrow(/not in the allow-list/);
    expect(() => policy.check("https://user:pw@app.example.com/")).toThrow(/credentials/);
    expect(() => policy.check("not a url")).toThrow(/not an absolute URL/);
  });

  it("can allow the application's origin, and refuse loopback when asked", () => {
    expect(
      new UrlPolicy().withOrigin("https://shop.test:4443/start").allows("https://shop.test:4443/cart"),
    ).toBe(true);
    expect(new UrlPolicy([], false).allows("http://127.0.0.1/")).toBe(false);
    expect(() => new UrlPolicy(["bad host!"])).toThrow(/not a host name/);
  });
});

describe("learned waits", () => {
  it("recommends a timeout from the observed durations of a page and action", () => {
    const learner = new WaitLearner({ minTimeoutMs: 500, maxTimeoutMs: 10_000 });
    const key = WaitLearner.keyOf("http://app.test/orders/123/edit?x=1", "click Save");
    expect(key).toBe("app.test/orders/:id/edit::click Save");
    expect(learner.learned(key)).toBeUndefined();
    expect(learner.timeoutFor(key, 30_000)).toBe(30_000);
    for (const ms of [100, 120, 140, 160, 900]) learner.observe({ key, durationMs: ms, success: true });
    learner.observe({ key, durationMs: 30_000, success: false });
    expect(learner.learned(key)).toEqual({ samples: 5, p95Ms: 900, recommendedTimeoutMs: 2050, failures: 1 });
  });

  it("keeps a window of recent observations and stays within bounds", () => {
    const learner = new WaitLearner({ window: 3, minTimeoutMs: 1000, maxTimeoutMs: 5000 });
    for (const ms of [9000, 9000, 10, 10, 10]) learner.observe({ key: "k", durationMs: ms, success: true });
    expect(learner.learned("k")).toMatchObject({ samples: 3, recommendedTimeoutMs: 1000 });
    learner.observe({ key: "k", durationMs: 8000, success: true });
    expect(learner.learned("k")?.recommendedTimeoutMs).toBe(5000);
  });
});

describe("screen comparison", () => {
  const image = (paint: (x: number, y: number) => number) => {
    const png = new PNG({ width: 64, height: 64 });
    for (let y = 0; y < 64; y++) {
      for (let x = 0; x < 64; x++) {
        const i = (y * 64 + x) * 4;
        const v = paint(x, y);
        png.data[i] = v;
        png.data[i + 1] = v;
        png.data[i + 2] = v;
        png.data[i + 3] = 255;
      }
    }
    return PNG.sync.write(png);
  };

  it("finds identical images identical, ignores faint noise, and counts changed cells", () => {
    const base = image(() => 200);
    expect(compareScreens(base, base).similarity).toBe(1);
    expect(
      compareScreens(
        base,
        image((x, y) => 200 + ((x + y) % 3) - 1),
      ).similarity,
    ).toBe(1);
    const box = image((x, y) => (x < 16 && y < 16 ? 0 : 200));
    expect(compareScreens(base, box)).toEqual({ similarity: 1 - 4 / 64, changedCells: 4, totalCells: 64 });
    expect(compareScreens(base, box, { region: { x: 32, y: 32, width: 32, height: 32 } }).similarity).toBe(1);
  });
});

describe("blob store", () => {
  it("stores by sha256, idempotently, and reads back", async () => {
    const blobs = new FsBlobStore(mkdtempSync(join(tmpdir(), "td-blobs-")));
    const a = await blobs.put("hello");
    expect(a).toEqual({ hash: "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", size: 5 });
    expect(await blobs.put(Buffer.from("hello"))).toEqual(a);
    expect((await blobs.get(a.hash)).toString()).toBe("hello");
    expect(await blobs.has(a.hash)).toBe(true);
    await expect(blobs.get("0".repeat(64))).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(blobs.get("../../etc/passwd")).rejects.toThrow(/not a sha256 hash/);
  });
});

describe("WebDriver keys", () => {
  it("translates Playwright's key notation, once webdriverio is loaded (its first session loads it)", async () => {
    expect(() => toWebDriverKeys("Enter")).toThrow(/not loaded/);
    await loadWebDriverKeys();
    expect(toWebDriverKeys("Enter")).toEqual(["\uE007"]);
    expect(toWebDriverKeys("Control+a")).toEqual(["\uE009", "a"]);
    expect(toWebDriverKeys("Shift+Tab")).toEqual(["\uE008", "\uE004"]);
    expect(toWebDriverKeys("+")).toEqual(["+"]);
    expect(() => toWebDriverKeys("Hyper")).toThrow(/unknown key "Hyper"/);
  });
});
