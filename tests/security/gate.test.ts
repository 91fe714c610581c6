import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BrowserPool } from "../../src/adapters/browser/pool.js";
import { NetworkGate } from "../../src/adapters/network/gate.js";
import { overrideResolver } from "../../src/adapters/network/resolver.js";
import { UrlRefusedError } from "../../src/domain/network/errors.js";
import { UrlPolicy } from "../../src/domain/network/policy.js";
import type { RefusedRequest } from "../../src/ports/browser.js";
import { browsersAvailable, driverFactories } from "../support/browsers.js";
import { type HostileSite, startHostileSite } from "./support/hostile-site.js";
import { countHits, ensureOtherHost, type HitCounter, OTHER_HOST } from "./support/other-host.js";

// Names the gate resolves with an override, not real DNS: one listed name that resolves to the other host
// (a private address), one that resolves to the metadata service.
const resolver = overrideResolver({ "intranet.test": [OTHER_HOST], "metadata.test": ["169.254.169.254"] });
const policy = UrlPolicy.of({ allowedHosts: ["intranet.test", "metadata.test"] });

let counter: HitCounter;
let site: HostileSite;
let other: string;

beforeAll(async () => {
  ensureOtherHost();
  counter = await countHits();
  other = `http://${OTHER_HOST}:${counter.port}`;
  site = await startHostileSite(other, [
    `http://intranet.test:${counter.port}`,
    `http://metadata.test:${counter.port}`,
  ]);
});
afterAll(async () => {
  await site?.close();
  await counter?.close();
});

describe("the network gate on its own", () => {
  it("refuses before connecting, naming the host and the address it resolved to", async () => {
    const gate = new NetworkGate({ policy, resolver });
    const proxy = new URL(await gate.listen());
    try {
      const answer = await fetch(`${proxy.origin}/`, { method: "GET" });
      expect(answer.status).toBe(400);
      const { request } = await import("node:http");
      const status = (path: string) =>
        new Promise<number>((resolve, reject) => {
          request({ host: proxy.hostname, port: proxy.port, path, method: "GET" }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
            .on("error", reject)
            .end();
        });
      expect(await status(`${other}/direct`)).toBe(403);
      expect(await status(`http://intranet.test:${counter.port}/named`)).toBe(403);
      expect(await status(`http://metadata.test:${counter.port}/latest`)).toBe(403);
      expect(await status(`http://[::ffff:169.254.169.254]/`)).toBe(403);
      expect(await status(site.url("/redirect"))).toBe(302); // loopback in local mode: passed on
      const refused = gate.takeRefused();
      expect(refused.map((r) => r.host)).toEqual([
        `${OTHER_HOST}:${counter.port}`,
        `intranet.test:${counter.port}`,
        `metadata.test:${counter.port}`,
        "[::ffff:a9fe:a9fe]",
      ]);
      expect(refused[0]?.reason).toMatch(/10\.77\.0\.1 is a private address/);
      expect(refused[1]?.reason).toMatch(/10\.77\.0\.1 is a private address/);
      expect(refused[2]?.reason).toMatch(/169\.254\.169\.254 is a metadata address/);
      expect(gate.takeRefused()).toEqual([]);
      expect(counter.hits()).toBe(0);
    } finally {
      await gate.close();
    }
  });
});

describe.runIf(browsersAvailable).each(driverFactories)(
  "a hostile site through $kind",
  ({ kind, create }) => {
    let pool: BrowserPool;

    beforeAll(async () => {
      pool = new BrowserPool({
        drivers: { [kind]: create },
        maxConcurrentSessions: 2,
        network: { policy, resolver },
      });
    });
    afterAll(async () => {
      await pool?.close();
    });

    // A session per page: what one page set going (a popup, a refresh) must not be blamed on the next.
    const fresh = () => pool.acquire(kind, { allowedHosts: [new URL(site.url("/")).host] });

    it("lets no request of any kind reach another host", async () => {
      for (const page of site.pages) {
        const session = await fresh();
        try {
          const seen: RefusedRequest[] = [];
          let navigationRefused = false;
          try {
            await session.navigate(site.url(page));
          } catch (error) {
            // The driver's own navigation guard may refuse first; either way nothing may reach the other host.
            if (!(error instanceof UrlRefusedError)) throw error;
            navigationRefused = true;
          }
          await vi.waitFor(() => {
            seen.push(...(session.takeRefusedRequests?.() ?? []));
            // Playwright's own navigation guard may abort a page's navigation before it reaches the gate; the
            // session keeps it to fail the next action (a protected field of the base session, read here).
            const guarded = (session as unknown as { refusedNavigation?: string }).refusedNavigation;
            expect(
              navigationRefused || seen.length > 0 || guarded !== undefined,
              `${page}: nothing was refused`,
            ).toBe(true);
          });
          for (const r of seen) expect(r.reason, r.url).toMatch(/is a (private|metadata) address/);
        } finally {
          await session.close();
        }
      }
      expect(counter.hits()).toBe(0);
    });

    it("refuses the subresources of a page to every other host, by name and by address", async () => {
      const session = await fresh();
      try {
        await session.navigate(site.url("/subresources"));
        const hosts = new Set<string>();
        await vi.waitFor(() => {
          for (const r of session.takeRefusedRequests?.() ?? []) hosts.add(r.host);
          expect([...hosts].sort(), [...hosts].join(" ")).toEqual(
            [
              `${OTHER_HOST}:${counter.port}`,
              `intranet.test:${counter.port}`,
              `metadata.test:${counter.port}`,
            ].sort(),
          );
        });
      } finally {
        await session.close();
      }
      expect(counter.hits()).toBe(0);
    });

    it("does not let a session target an application host the policy refuses", async () => {
      await expect(pool.acquire(kind, { allowedHosts: ["169.254.169.254"] })).rejects.toThrow(
        /metadata address/,
      );
      expect(pool.stats().active).toBe(0);
    });
  },
);

describe.runIf(browsersAvailable)("without the gate (control)", () => {
  it("the hostile site does reach the other host", async () => {
    const pool = new BrowserPool({
      drivers: { playwright: driverFactories[0]!.create },
      maxConcurrentSessions: 1,
    });
    try {
      const session = await pool.acquire("playwright", { allowedHosts: [new URL(site.url("/")).host] });
      const hit = counter.nextHit();
      await session.navigate(site.url("/subresources"));
      await hit;
      expect(counter.hits()).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });
});
