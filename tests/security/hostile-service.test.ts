import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overrideResolver } from "../../src/adapters/network/resolver.js";
import { UrlPolicy } from "../../src/domain/network/policy.js";
import type { TestPlan } from "../../src/domain/plan/model.js";
import { type ApiHarness, apiHarness } from "../support/api.js";
import { browsersAvailable } from "../support/browsers.js";
import { type HostileSite, startHostileSite } from "./support/hostile-site.js";
import { countHits, ensureOtherHost, type HitCounter, OTHER_HOST } from "./support/other-host.js";

/** The service as a runner uses it, in front of the hostile site: HTTP starts the runs. */
describe.runIf(browsersAvailable)("a hostile site through the HTTP API", () => {
  let api: ApiHarness;
  let counter: HitCounter;
  let site: HostileSite;

  beforeAll(async () => {
    ensureOtherHost();
    counter = await countHits();
    site = await startHostileSite(`http://${OTHER_HOST}:${counter.port}`, [
      `http://metadata.test:${counter.port}`,
    ]);
    api = await apiHarness("open", {
      policy: UrlPolicy.of({ allowedHosts: ["metadata.test"] }),
      resolver: overrideResolver({ "metadata.test": ["169.254.169.254"] }),
    });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await site?.close();
    await counter?.close();
  });

  const plan = (path: string, driver: string): TestPlan =>
    ({
      plan_id: `hostile-${driver}${path.replace(/\W/g, "-")}`,
      name: `hostile ${path}`,
      description: "a page that reaches for other hosts",
      application_url: site.url("/"),
      test_steps: [{ action: "navigate", params: { url: path } }],
    }) as unknown as TestPlan;

  for (const driver of ["playwright", "webdriverio"]) {
    it(`fails the step naming the refused host and records each refusal (${driver})`, async () => {
      const res = await api.app.inject({
        method: "POST",
        url: "/api/runs",
        payload: { plan: plan("/subresources", driver), driver, wait: true },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe("failed");
      const events = await api.h.runEvents(res.json().run_id);
      const refused = events.filter((e) => e.type === "RequestRefused");
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.map((e) => (e.data as { host: string }).host)).toEqual(
        expect.arrayContaining([`${OTHER_HOST}:${counter.port}`]),
      );
      const failed = events.find((e) => e.type === "StepFailed");
      expect((failed?.data as { error?: string } | undefined)?.error).toMatch(
        /^UrlRefusedError: the page's request to http:\/\//,
      );
      expect(counter.hits()).toBe(0);
    }, 120_000);
  }

  it("refuses a run whose application is the metadata service with 422, recording nothing", async () => {
    const before = (await api.h.store.readAll({ limit: 100_000 })).events.length;
    const res = await api.app.inject({
      method: "POST",
      url: "/api/runs",
      payload: { plan: { ...plan("/", "pw"), application_url: "http://169.254.169.254/" }, wait: true },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json()).toMatchObject({ error: "url_refused" });
    expect(res.json().message).toMatch(/169\.254\.169\.254 is a metadata address/);
    expect((await api.h.store.readAll({ limit: 100_000 })).events.length).toBe(before);
    expect(counter.hits()).toBe(0);
  }, 60_000);
});
