import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyError, ERROR_KINDS, InputError, NotFoundError } from "../../src/domain/errors.js";
import { UrlRefusedError } from "../../src/domain/network/errors.js";
import { RunRuleError } from "../../src/domain/run/rules.js";
import { type ApiHarness, apiHarness } from "../support/api.js";
import { browsersAvailable } from "../support/browsers.js";

const BOMB = `plan_id: bomb
name: bomb
description: laughs
application_url: http://127.0.0.1:9/
a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
test_steps: [*e]
`;
const RUN = "3f1c9a52-6a8e-4d47-9e1a-2b7c5d9e0f11";

describe("one table of error kinds", () => {
  it("classifies by name and code, never by message", () => {
    expect(classifyError(new UrlRefusedError("http://x/", "no"))).toMatchObject({
      kind: "url_refused",
      http: 422,
    });
    expect(classifyError(new RunRuleError("unknown_healing", "whatever"))).toMatchObject({
      kind: "not_found",
      code: "unknown_healing",
      http: 404,
      exit: 2,
    });
    expect(classifyError(new RunRuleError("wrong_status", "x"))).toMatchObject({
      kind: "conflict",
      http: 409,
    });
    expect(classifyError(new NotFoundError("no baseline"))).toMatchObject({ http: 404 });
    expect(classifyError(new InputError("at", "too long"))).toMatchObject({
      http: 400,
      message: "at: too long",
    });
    expect(classifyError(new TypeError("boom"))).toMatchObject({ kind: "internal", http: 500, exit: 1 });
    for (const row of Object.values(ERROR_KINDS)) expect(row.http).toBeGreaterThanOrEqual(400);
  });
});

describe("input that used to break the server", () => {
  let api: ApiHarness;
  const logSize = async () => (await api.h.store.readAll({ limit: 100_000 })).events.length;
  const post = (url: string, payload: object) => api.app.inject({ method: "POST", url, payload });

  beforeAll(async () => {
    api = await apiHarness("open");
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it("refuses a YAML alias bomb and an unresolved alias in a plan with 400, recording nothing", async () => {
    const before = await logSize();
    const bomb = await post("/api/runs", { plan: BOMB });
    expect(bomb.statusCode).toBe(400);
    expect(bomb.json()).toMatchObject({ error: "invalid_plan" });
    expect(bomb.json().message).toMatch(/Excessive alias count/);
    const dangling = await post("/api/runs", { plan: "plan_id: x\nname: *nowhere\n" });
    expect(dangling.statusCode).toBe(400);
    expect(dangling.json().message).toMatch(/Unresolved alias/);
    expect(await logSize()).toBe(before);
  });

  it("refuses a 23-digit `at` with 400 naming it", async () => {
    const res = await api.app.inject({
      method: "GET",
      url: `/api/runs/${RUN}/state?at=12345678901234567890123`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/at/);
  });

  it("answers 404 for an unknown heal's run and an unknown baseline, recording nothing", async () => {
    const before = await logSize();
    const heal = await post(`/api/runs/${RUN}/heals/${RUN}/review`, { approved: true });
    expect(heal.statusCode, heal.body).toBe(404);
    const baseline = await post(`/api/baselines/${RUN}/approve`, {});
    expect(baseline.statusCode, baseline.body).toBe(404);
    expect(baseline.json().message).toMatch(new RegExp(`no baseline ${RUN}`));
    const check = await post("/api/drift/check", {
      url: "http://127.0.0.1:9/",
      page: "nowhere",
      app_version: "1",
    });
    expect(check.statusCode).toBe(404);
    expect(await logSize()).toBe(before);
  });

  it.runIf(browsersAvailable)(
    "refuses to stop a passed run with 409, not 202, recording nothing",
    async () => {
      const page = createServer((_req, res) =>
        res.writeHead(200, { "content-type": "text/html" }).end("<h1>ok</h1>"),
      );
      await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", () => resolve()));
      try {
        const { port } = page.address() as { port: number };
        const plan = {
          plan_id: "stop-passed",
          name: "one page",
          description: "opens a page",
          application_url: `http://127.0.0.1:${port}/`,
          test_steps: [{ action: "navigate", params: { url: "/" } }],
        };
        const run = await post("/api/runs", { plan, wait: true });
        expect(run.json().status, run.body).toBe("passed");
        const before = await logSize();
        const stop = await post(`/api/runs/${run.json().run_id}/stop`, {});
        expect(stop.statusCode, stop.body).toBe(409);
        expect(stop.json()).toMatchObject({ error: "wrong_status" });
        expect(await logSize()).toBe(before);
      } finally {
        page.close();
      }
    },
    60_000,
  );

  it.runIf(browsersAvailable)(
    "refuses a baseline of the metadata service with 422 naming the rule",
    async () => {
      const before = await logSize();
      const res = await post("/api/baselines", {
        url: "http://169.254.169.254/latest/meta-data",
        page: "metadata",
        app_version: "1",
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ error: "url_refused" });
      expect(res.json().message).toMatch(/169\.254\.169\.254 is a metadata address/);
      expect(await logSize()).toBe(before);
    },
    60_000,
  );
});
