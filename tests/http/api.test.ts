import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { secretVariable } from "../../src/projections/export-playwright.js";
import { OutboxRelay } from "../../src/relay/relay.js";
import { type ApiHarness, apiHarness } from "../support/api.js";
import { browsersAvailable, CHROMIUM } from "../support/browsers.js";
import { demoPlan } from "../support/engine.js";

function run(
  file: string,
  args: string[],
  options: { cwd: string; timeout: number; env: NodeJS.ProcessEnv },
) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(file, args, options, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.runIf(browsersAvailable)("the HTTP API", () => {
  let api: ApiHarness;
  let demo: RunningDemo;
  let demo2: RunningDemo;
  let admin: string;
  let runner: string;
  let viewer: string;
  let runId: string;
  let replayRunId: string;
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const get = (url: string, key = viewer) => api.app.inject({ method: "GET", url, headers: auth(key) });
  const post = (url: string, payload: unknown, key = runner) =>
    api.app.inject({ method: "POST", url, payload: payload as object, headers: auth(key) });

  beforeAll(async () => {
    api = await apiHarness("keys");
    demo = await serveDemo(1);
    demo2 = await serveDemo(2);
    admin = (await api.keys.create("ops", "admin")).key;
    runner = (await api.keys.create("ci", "runner")).key;
    viewer = (await api.keys.create("dashboard", "viewer")).key;
    const res = await post("/api/runs", {
      plan: demoPlan(demo.url, "api-demo"),
      application_version: "1.0",
      wait: true,
    });
    expect(res.statusCode, res.body).toBe(200);
    runId = res.json().run_id;
    expect(res.json().status).toBe("passed");
    await api.runner.catchUp();
  }, 180_000);

  afterAll(async () => {
    await api?.close();
    await demo?.close();
    await demo2?.close();
  });

  describe("security", () => {
    it("refuses /api without a key, with an unknown key, and with a revoked one", async () => {
      expect((await api.app.inject({ method: "GET", url: "/api/runs" })).statusCode).toBe(401);
      const wrong = `td_${"0".repeat(12)}_${"x".repeat(43)}`;
      expect((await get("/api/runs", wrong)).statusCode).toBe(401);
      const { key, info } = await api.keys.create("temp", "viewer");
      expect((await get("/api/runs", key)).statusCode).toBe(200);
      await api.keys.revoke(info.key_id);
      const revoked = await get("/api/runs", key);
      expect(revoked.statusCode).toBe(401);
      expect(revoked.json().message).toMatch(/revoked/);
    });

    it("checks each route's role: viewers read, runners run, admins rebuild", async () => {
      const started = await post("/api/runs", { plan: demoPlan(demo.url) }, viewer);
      expect(started.statusCode).toBe(403);
      expect(started.json().message).toMatch(/runner role/);
      expect((await post(`/api/runs/${runId}/replay`, { mode: "reexecute" }, viewer)).statusCode).toBe(403);
      expect((await post("/api/projections/runs/rebuild", {}, runner)).statusCode).toBe(403);
      const rebuilt = await post("/api/projections/runs/rebuild", {}, admin);
      expect(rebuilt.statusCode).toBe(200);
      expect(rebuilt.json().status.lag).toBe(0);
    });

    it("stores keys only as hashes", async () => {
      const { rows } = await api.h.store.db.query<{ secret_hash: string }>(
        "SELECT secret_hash FROM td_api_keys",
      );
      for (const { secret_hash } of rows) {
        expect(secret_hash).toMatch(/^[a-f0-9]{64}$/);
        expect(admin).not.toContain(secret_hash);
      }
    });

    it("serves health, readiness and the OpenAPI document without a key", async () => {
      expect((await api.app.inject({ url: "/health" })).json()).toMatchObject({ status: "ok" });
      const ready = await api.app.inject({ url: "/ready" });
      expect(ready.statusCode).toBe(200);
      expect(ready.json().checks).toMatchObject({ database: { ok: true }, browser: { ok: true } });
      const doc = (await api.app.inject({ url: "/openapi.json" })).json();
      expect(doc.openapi).toBe("3.1.0");
      const start = doc.paths["/api/runs"].post;
      expect(start["x-required-role"]).toBe("runner");
      expect(start.requestBody.content["application/json"].schema.properties).toHaveProperty("requirements");
      expect(doc.paths["/api/runs/{id}/state"].get.parameters.map((p: { name: string }) => p.name)).toEqual([
        "id",
        "at",
        "step",
      ]);
    });
  });

  describe("bad input", () => {
    it("names the field and the problem, and appends nothing", async () => {
      const head = await api.h.store.headPosition();
      const noUrl = await post("/api/runs", { requirements: "Click the Sign in button" });
      expect(noUrl.statusCode).toBe(400);
      expect(noUrl.json().message).toBe("body.url: requirements need the application's url");
      const badPlan = await post("/api/runs", {
        plan: { name: "x", application_url: "ftp://x", test_steps: [] },
      });
      expect(badPlan.statusCode).toBe(400);
      expect(badPlan.json().details.map((d: { path: string }) => d.path)).toEqual([
        "application_url",
        "test_steps",
      ]);
      const extra = await post("/api/runs", { plan: demoPlan(demo.url), colour: "red" });
      expect(extra.json().message).toMatch(/colour/);
      expect((await get("/api/runs/not-a-uuid")).json().message).toBe("params.id: must be a run id (a UUID)");
      const at = await get(`/api/runs/${runId}/state?at=yesterday`);
      expect(at.statusCode).toBe(400);
      expect(at.json().message).toMatch(/^query\.at: give a stream version/);
      // A resume's secrets are checked before anything is recorded; errors name keys, never values.
      const secrets = await post(`/api/runs/${runId}/resume`, { secrets: { nope: "hunter2" } });
      expect(secrets.statusCode).toBe(400);
      expect(secrets.json()).toMatchObject({ error: "invalid_secrets", details: [{ key: "nope" }] });
      expect(secrets.body).not.toContain("hunter2");
      expect((await post(`/api/runs/${runId}/stop`, { secrets: {} })).json().message).toMatch(/secrets/);
      expect(await api.h.store.headPosition()).toBe(head);
    });

    it("answers 404 for an unknown run and 409 for a command the run refuses", async () => {
      const missing = await get("/api/runs/00000000-0000-4000-8000-000000000000");
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error).toBe("no_run");
      const resume = await post(`/api/runs/${runId}/resume`, {});
      expect(resume.statusCode).toBe(409);
      expect(resume.json().message).toMatch(/passed/);
      expect((await post(`/api/runs/${runId}/heal`, {})).statusCode).toBe(409);
      const stop = await post(`/api/runs/${runId}/stop`, { wait: true });
      expect(stop.statusCode).toBe(409);
      expect(stop.json().message).toMatch(/stop/);
    });
  });

  describe("runs and reports", () => {
    it("lists runs filtered by status and plan", async () => {
      const all = (await get("/api/runs")).json().runs;
      expect(all.map((r: { run_id: string }) => r.run_id)).toContain(runId);
      expect((await get("/api/runs?status=failed")).json().runs).toEqual([]);
      const byPlan = (await get("/api/runs?plan_id=api-demo&status=passed")).json().runs;
      expect(byPlan[0]).toMatchObject({
        run_id: runId,
        total_steps: 13,
        passed_steps: 13,
        application_version: "1.0",
      });
    });

    it("gives a run with its steps, and its report as JSON, JUnit and HTML", async () => {
      const run = (await get(`/api/runs/${runId}`)).json();
      expect(run.steps).toMatchObject({ total: 13, passed: 13 });
      expect(run.step_details[1]).toMatchObject({ step_id: "type-email-field", strategy: "explicit" });
      const json = (await get(`/api/runs/${runId}/report?format=json`)).json();
      expect(json).toMatchObject({ schema_version: 1, status: "passed" });
      const junit = await get(`/api/runs/${runId}/report?format=junit`);
      expect(junit.headers["content-type"]).toMatch(/xml/);
      const parsed = new XMLParser({ ignoreAttributes: false }).parse(junit.body);
      expect(parsed.testsuites.testsuite["@_tests"]).toBe("13");
      const html = await get(`/api/runs/${runId}/report?format=html`);
      expect(html.headers["content-type"]).toMatch(/html/);
      expect(html.body).toContain("Sign in and manage the shopping list");
    });

    it("pages a run's events and the global log", async () => {
      const first = (await get(`/api/runs/${runId}/events?limit=5`)).json();
      expect(first.events.map((e: { streamVersion: number }) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
      expect(first.events[0].type).toBe("RunRequested");
      const next = (
        await get(`/api/runs/${runId}/events?limit=5&from_version=${first.next_from_version}`)
      ).json();
      expect(next.events[0].streamVersion).toBe(6);
      const global = (await get("/api/events?from=0&limit=3")).json();
      expect(global.events).toHaveLength(3);
      const after = (await get(`/api/events?from=${global.next_from}&limit=3`)).json();
      expect(after.events[0].globalPosition).toBeGreaterThan(global.events[2].globalPosition);
    });

    it("serves the run's screenshots, and no blob the run did not record", async () => {
      const state = (await get(`/api/runs/${runId}/state?at=1000`)).json();
      const png = await get(state.screenshot_url);
      expect(png.headers["content-type"]).toBe("image/png");
      expect(png.rawPayload.subarray(1, 4).toString()).toBe("PNG");
      expect((await get(`/api/runs/${runId}/artifacts/${"a".repeat(64)}`)).statusCode).toBe(404);
    });
  });

  describe("time travel", () => {
    it("returns the run as it stood at several versions and at a moment", async () => {
      const events = (await get(`/api/runs/${runId}/events?limit=1000`)).json().events as {
        type: string;
        streamVersion: number;
        recordedAt: string;
        data: { index?: number };
      }[];
      const requested = (await get(`/api/runs/${runId}/state?at=1`)).json();
      expect(requested).toMatchObject({ version: 1, status: "pending", current_step: null, snapshot: null });

      const signIn = events.find((e) => e.type === "StepStarted" && e.data.index === 3)!;
      const atSignIn = (await get(`/api/runs/${runId}/state?at=${signIn.streamVersion}`)).json();
      expect(atSignIn.status).toBe("running");
      expect(atSignIn.current_step).toMatchObject({
        index: 3,
        step_id: "click-sign-in-button",
        status: "running",
      });
      expect(atSignIn.snapshot.url).toMatch(/\/login$/);
      expect(atSignIn.state.steps.filter((s: { status: string }) => s.status === "passed")).toHaveLength(3);

      const added = events.find((e) => e.type === "StepPassed" && e.data.index === 7)!;
      const byTime = (
        await get(`/api/runs/${runId}/state?at=${encodeURIComponent(added.recordedAt)}`)
      ).json();
      expect(byTime.version).toBeGreaterThanOrEqual(added.streamVersion);
      expect(byTime.state.steps[7].status).toBe("passed");
      expect(byTime.snapshot.url).toMatch(/\/dashboard$/);

      const end = (await get(`/api/runs/${runId}/state?at=${events.length}`)).json();
      expect(end).toMatchObject({ status: "passed", version: events.length });
    });
  });

  describe("replay", () => {
    it("refolds a run's events and finds them equal to the read model", async () => {
      await api.runner.catchUp();
      const res = await post(`/api/runs/${runId}/replay`, { mode: "refold" }, viewer);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ mode: "refold", equal: true, lagging: false, differences: [] });
    });

    it("reports where a tampered read model differs", async () => {
      const other = await post("/api/runs", { requirements: "Open /login", url: demo.url, wait: true });
      const otherId = other.json().run_id;
      await api.runner.catchUp();
      await api.h.store.db.query(
        `UPDATE td_runs SET details = jsonb_set(details, '{status}', '"failed"') WHERE run_id = $1`,
        [otherId],
      );
      const res = (await post(`/api/runs/${otherId}/replay`, { mode: "refold" })).json();
      expect(res.equal).toBe(false);
      expect(res.differences).toEqual([{ path: "$.status", folded: "passed", stored: "failed" }]);
    });

    it("re-executes the recorded steps with the recorded locators as a new linked run", async () => {
      const res = await post(`/api/runs/${runId}/replay`, {
        mode: "reexecute",
        secrets: { "type-password-field": DEMO_PASSWORD },
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ mode: "reexecute", original_run_id: runId, status: "passed", same: true });
      expect(body.pinned_locators).toBeGreaterThanOrEqual(7);
      expect(body.steps).toHaveLength(13);
      replayRunId = body.replay_run_id;
      const replay = (await get(`/api/runs/${body.replay_run_id}`)).json();
      expect(replay).toMatchObject({ related_run: runId, source: "replay" });
      // Every element was found by its pinned selector: nothing was searched for.
      expect(
        replay.step_details.filter(
          (s: { strategy: string | null }) => s.strategy && s.strategy !== "explicit",
        ),
      ).toEqual([]);
    });
  });

  describe("healing", () => {
    it("queues v2's proposed heals for review, and records a review", async () => {
      const res = await post("/api/runs", {
        plan: demoPlan(demo2.url, "api-demo"),
        application_version: "2.0",
        wait: true,
      });
      expect(res.json().status, res.body).toBe("passed");
      const healedRun = res.json().run_id;
      await api.runner.catchUp();
      const queue = (await get(`/api/heals?review=pending&run_id=${healedRun}`)).json().heals;
      expect(queue.length).toBeGreaterThanOrEqual(5);
      const first = queue.find((h: { step_id: string }) => h.step_id === "type-email-field");

      // What a reviewer sees: the element as learned (in the v1 run) and as found, each on its screenshot.
      const detailed = (await get(`/api/heals?review=pending&run_id=${healedRun}&details=true`)).json().heals;
      const details = detailed.find((h: { healing_id: string }) => h.healing_id === first.healing_id).details;
      expect(details).toMatchObject({
        run_id: healedRun,
        step_id: "type-email-field",
        old_locator: "#email",
        new_locator: "#user-email",
        // Auto-committed, but no check proved it ("Welcome, alice" names neither field): it waits for a person.
        decision: "auto_commit",
        confidence_words: expect.stringMatching(/^\d+ % \((medium|high)\)$/),
        was: { run_id: runId, application_version: "1.0", element: { role: "textbox", name: "Email" } },
        now: { element: { role: "textbox", name: "Email address" } },
        learned_now: { locator: "#email", source: "located", run_id: runId },
      });
      expect(details.was.shot.url).toBe(`/api/runs/${runId}/artifacts/${details.was.shot.hash}`);
      expect((await get(details.was.shot.url)).headers["content-type"]).toBe("image/png");
      expect(details.now.box.width).toBeGreaterThan(0);
      // The evidence is the learned model's: each feature's fitted weight, agreement and contribution.
      const { HEALING_MODEL } = await import("../../src/domain/healing/weights.js");
      const nameWeight =
        Math.round(HEALING_MODEL.weights[HEALING_MODEL.features.indexOf("name")]! * 1000) / 1000;
      expect(details.evidence).toMatchObject({ model: "learned", confidence: details.confidence });
      const name = details.evidence.parts.find((p: { feature: string }) => p.feature === "name");
      expect(name).toMatchObject({ weight: nameWeight, recorded: "Email", found: "Email address" });
      expect(name.contribution).toBeCloseTo(name.weight * name.evidence, 2);
      expect(name.says).toMatch(/agrees, for this element$/);
      // The step's description was weighed too: it survives a rewrite of the element.
      expect(details.evidence.parts.map((p: { feature: string }) => p.feature)).toContain("description");
      const total = details.evidence.parts.reduce(
        (s: number, p: { contribution: number }) => s + p.contribution,
        0,
      );
      expect(total).toBeCloseTo(details.evidence.utility, 1);

      // A verdict is a reviewer's: runners and viewers are refused, an admin's is recorded.
      const path = `/api/runs/${healedRun}/heals/${first.healing_id}/review`;
      expect((await post(path, { approved: true }, viewer)).statusCode).toBe(403);
      const byRunner = await post(path, { approved: true });
      expect(byRunner.statusCode).toBe(403);
      expect(byRunner.json().message).toMatch(/needs the admin role/);
      const review = await post(path, { approved: true }, admin);
      expect(review.statusCode).toBe(200);
      expect(review.json().review).toMatchObject({ approved: true, reviewer: "ops" });
      expect((await post(path, { approved: false }, admin)).statusCode).toBe(409);
      await api.runner.catchUp();
      const approved = (await get(`/api/heals?review=approved&run_id=${healedRun}`)).json().heals;
      expect(approved.map((h: { healing_id: string }) => h.healing_id)).toEqual([first.healing_id]);
      const plan = (await get("/api/plans/api-demo")).json();
      expect(plan.learned).toContainEqual(
        expect.objectContaining({
          step_id: "type-email-field",
          locator: "#user-email",
          source: "approved",
          run_id: healedRun,
        }),
      );
    });
  });

  describe("what the web console reads", () => {
    it("serves the console: an HTML shell and its modules, under a strict content security policy", async () => {
      const page = await api.app.inject({ url: "/" });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.headers["content-security-policy"]).toMatch(/script-src 'self';/);
      expect(page.body).toContain('<script type="module" src="/console/app/main.js">');
      const main = await api.app.inject({ url: "/console/app/main.js" });
      expect(main.statusCode, "the console is served from dist/: npm run build").toBe(200);
      expect(main.headers["content-type"]).toMatch(/^text\/javascript/);
      expect((await api.app.inject({ url: "/console/console.css" })).body).toContain(".badge");
      expect((await api.app.inject({ url: "/console/../../package.json" })).statusCode).toBe(404);
      expect((await api.app.inject({ url: "/console/app/nothing.js" })).statusCode).toBe(404);
      expect((await get("/api/me", viewer)).json()).toEqual({
        name: "dashboard",
        role: "viewer",
        auth: "keys",
      });
      expect((await api.app.inject({ url: "/api/me" })).statusCode).toBe(401);
    });

    it("gives a run's steps as a timeline: the page each acted on, its element's box, how it was found in words", async () => {
      const res = await get(`/api/runs/${runId}/timeline`);
      expect(res.statusCode).toBe(200);
      const { run, steps } = res.json();
      expect(run).toMatchObject({ run_id: runId, status: "passed", plan_id: "api-demo" });
      expect(steps).toHaveLength(13);
      const email = steps[1];
      expect(email.elements).toEqual([
        expect.objectContaining({
          role: "target",
          element_role: "textbox",
          name: "Email",
          strategy: "explicit",
          locator: "#email",
          words: "found by the plan's selector, 100 % (very high)",
        }),
      ]);
      // The page it acted on is the one after the step before, in CSS pixels, the boxes' space.
      expect(email.before).toMatchObject({ hash: steps[0].after.hash, width: 1280, height: 720 });
      expect((await get(email.before.url)).headers["content-type"]).toBe("image/png");
      expect(email.waits.map((w: { wait: string }) => w.wait)).toContain("locate");
      expect(steps[0].network.some((n: { url: string }) => n.url.endsWith("/login"))).toBe(true);
      expect(steps[4]).toMatchObject({ action: "assert", elements: [], before: null });
    });

    it("compares a re-execution with its original, and says so when a run is none", async () => {
      const res = await get(`/api/runs/${replayRunId}/comparison`);
      expect(res.json()).toMatchObject({ original_run_id: runId, finished: true, same: true });
      expect(res.json().steps).toHaveLength(13);
      const none = await get(`/api/runs/${runId}/comparison`);
      expect(none.statusCode).toBe(409);
      expect(none.json().error).toBe("not_a_replay");
    });

    it("filters runs by application and version", async () => {
      const byApp = (await get(`/api/runs?application=${encodeURIComponent(demo2.url)}`)).json().runs;
      expect(byApp.length).toBeGreaterThan(0);
      expect(byApp.every((r: { application_url: string }) => r.application_url.startsWith(demo2.url))).toBe(
        true,
      );
      const byVersion = (await get("/api/runs?application_version=2.0")).json().runs;
      expect(byVersion.every((r: { application_version: string }) => r.application_version === "2.0")).toBe(
        true,
      );
      expect(byVersion.length).toBeGreaterThan(0);
    });

    it("lists the plans to start runs from, with their applications and the secret steps a run needs", async () => {
      const { plans } = (await get("/api/plans")).json();
      const demoPlanEntry = plans.find((p: { plan_id: string }) => p.plan_id === "api-demo");
      expect(demoPlanEntry).toMatchObject({
        name: expect.any(String),
        steps: 13,
        bundled: false,
        secret_steps: [{ step_id: "type-password-field", description: expect.any(String) }],
      });
      expect(demoPlanEntry.applications.map((a: { url: string }) => a.url)).toContain(demo.url);
      expect((await get("/api/plans/nothing-here")).statusCode).toBe(404);
    });

    it("gives a test's reliability over time, a point per run with the run behind it", async () => {
      await api.runner.catchUp();
      const res = await get("/api/reliability/history?entity_type=test&entity_id=api-demo&bucket=run");
      const { points } = res.json();
      expect(points.length).toBeGreaterThanOrEqual(2);
      expect(points[0]).toMatchObject({
        pass_rate: 1,
        flakiness: 0,
        runs: [expect.objectContaining({ run_id: runId })],
      });
      const daily = (await get("/api/reliability/history?entity_type=test&entity_id=api-demo")).json();
      expect(daily.bucket).toBe("day");
      expect(daily.points.flatMap((p: { runs: unknown[] }) => p.runs)).toHaveLength(points.length);
      expect((await get("/api/reliability/history?entity_type=test")).statusCode).toBe(400);
    });
  });

  describe("reliability and metrics", () => {
    it("scores the test, its pages and the adapter", async () => {
      await api.runner.catchUp();
      const scores = (await get("/api/reliability?plan_id=api-demo")).json().scores;
      expect(scores.find((s: { entity_type: string }) => s.entity_type === "test")).toMatchObject({
        entity_id: "api-demo",
        pass_rate: 1,
      });
      expect(scores.some((s: { entity_type: string }) => s.entity_type === "module")).toBe(true);
      const series = (await get("/api/metrics/series?name=step_duration_ms")).json();
      expect(series.points.length).toBeGreaterThan(0);
    });

    it("exposes Prometheus metrics with the spec's names, latency, projection and relay lag", async () => {
      await api.runner.catchUp();
      const relay = new OutboxRelay(api.h.store, { publish: async () => {}, close: async () => {} });
      const published = await relay.drain();
      await relay.stop();
      const res = await api.app.inject({ url: "/metrics" });
      expect(res.headers["content-type"]).toMatch(/^text\/plain/);
      const text = res.body;
      expect(text).toMatch(/^testdriver_test_executions_total\{status="passed"\} [1-9]/m);
      expect(text).toMatch(/^testdriver_test_pass_rate 1$/m);
      expect(text).toMatch(/^testdriver_adapter_health_status\{adapter="playwright"\} 1$/m);
      expect(text).toMatch(
        /^testdriver_vision_adapter_active\{adapter="accessibility",model="accessibility-tree"\} 1$/m,
      );
      expect(text).toMatch(/^testdriver_vision_adapter_health_status\{adapter="accessibility"\} 1$/m);
      expect(text).toMatch(/^testdriver_vision_adapter_switches_total 0$/m);
      expect(text).toMatch(/^testdriver_healing_attempts_total [1-9]/m);
      expect(text).toMatch(/^testdriver_healing_successful_total [1-9]/m);
      expect(text).toMatch(/^testdriver_projection_lag_events\{projection="runs"\} 0$/m);
      expect(text).toContain(`testdriver_relay_published_total{relay="kafka"} ${published}`);
      expect(text).toMatch(/^testdriver_relay_lag_events\{relay="kafka"\} \d+$/m);
      expect(text).toMatch(
        /^testdriver_http_request_duration_seconds_count\{method="GET",route="\/api\/runs",status="2xx"\} \d+/m,
      );
    });
  });

  describe("visual baselines and drift", () => {
    const ref = () => ({ url: `${demo.url}/login`, page: "api-login", app_version: "1.0" });

    it("captures (201), refuses a drift check until approved (409), approves, and checks", async () => {
      const bad = await post("/api/baselines", { url: "ftp://x", page: "", app_version: "1.0" });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toMatch(/body\.url: must be an http\(s\) URL/);
      expect(bad.body).toMatch(/body\.page: needs a page identifier/);
      expect((await post("/api/baselines", ref(), viewer)).statusCode).toBe(403);

      const missing = await post("/api/drift/check", { ...ref(), page: "nowhere" });
      expect(missing.statusCode).toBe(404);

      const captured = await post("/api/baselines", ref());
      expect(captured.statusCode, captured.body).toBe(201);
      const { baseline_id, screenshot_hash } = captured.json();
      const early = await post("/api/drift/check", ref());
      expect(early.statusCode).toBe(409);
      expect(early.json()).toMatchObject({
        error: "drift_check_refused",
        message: expect.stringMatching(/not approved/),
      });

      // Approving is a reviewer's decision: it needs the admin role.
      const notAdmin = await post(`/api/baselines/${baseline_id}/approve`, { screenshot_hash });
      expect(notAdmin.statusCode).toBe(403);
      expect(notAdmin.json().message).toMatch(/admin role/);
      const approved = await post(`/api/baselines/${baseline_id}/approve`, { screenshot_hash }, admin);
      expect(approved.json()).toMatchObject({ status: "approved", approved_by: "ops" });
      expect((await post(`/api/baselines/${baseline_id}/approve`, {}, admin)).statusCode).toBe(409);

      const checked = await post("/api/drift/check", { ...ref(), url: `${demo2.url}/login` });
      expect(checked.statusCode, checked.body).toBe(200);
      expect(checked.json()).toMatchObject({ severity: "functional", baseline_id });

      const listed = await get("/api/baselines?page=api-login");
      expect(listed.json().baselines).toEqual([
        expect.objectContaining({
          baseline_id,
          status: "approved",
          detections: 1,
          last_severity: "functional",
        }),
      ]);
      const detections = await get(`/api/drift?baseline_id=${baseline_id}`);
      expect(detections.json().detections).toEqual([expect.objectContaining({ severity: "functional" })]);

      // What the console's diff viewer reads: captures, approvals and checks with their screenshots.
      const detail = (await get(`/api/baselines/${baseline_id}`)).json();
      expect(detail.baseline).toMatchObject({ baseline_id, status: "approved" });
      expect(detail.captures).toEqual([
        expect.objectContaining({
          shot: expect.objectContaining({ hash: screenshot_hash, width: 1280, height: 720 }),
        }),
      ]);
      expect(detail.approvals).toEqual([expect.objectContaining({ approved_by: "ops", screenshot_hash })]);
      const [check] = detail.detections;
      expect(check).toMatchObject({ severity: "functional", baseline_shot: { hash: screenshot_hash } });
      expect(check.changed_regions.length).toBeGreaterThan(0);
      expect([...check.removed_elements, ...check.changed_elements].length).toBeGreaterThan(0);
      const picture = await get(check.current_shot.url);
      expect(picture.statusCode).toBe(200);
      expect(picture.headers["content-type"]).toBe("image/png");
      // A baseline serves its own screenshots only.
      const stranger = "0".repeat(64);
      expect((await get(`/api/baselines/${baseline_id}/artifacts/${stranger}`)).statusCode).toBe(404);
    }, 60_000);

    it("captures each page a run visits as a baseline when the run asks for it", async () => {
      const res = await post("/api/runs", {
        plan: demoPlan(demo.url, "api-visual"),
        baselines: { capture: "api-run" },
        wait: true,
      });
      expect(res.json().status, res.body).toBe("passed");
      const listed = await get("/api/baselines?app_version=api-run");
      expect(
        listed
          .json()
          .baselines.map((b: { page_identifier: string }) => b.page_identifier)
          .sort(),
      ).toEqual(["/dashboard", "/login"]);
      const bad = await post("/api/runs", { plan: demoPlan(demo.url), baselines: { check: "" } });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toMatch(/body\.baselines\.check/);
    }, 60_000);
  });

  describe("export", () => {
    it("exports the run as a Playwright test that passes against the demo app", async () => {
      const res = await get(`/api/runs/${runId}/export?format=playwright`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('import { expect, test } from "@playwright/test"');
      expect(res.body).not.toContain(DEMO_PASSWORD);
      expect(res.body).toContain('page.locator("#email")');
      const dir = join(import.meta.dirname, "../../.tmp/export", runId);
      mkdirSync(dir, { recursive: true });
      try {
        writeFileSync(join(dir, "demo.spec.mjs"), res.body);
        // Asynchronously: the demo app answers from this very process.
        const result = await run(
          process.execPath,
          [
            join(import.meta.dirname, "../../node_modules/@playwright/test/cli.js"),
            "test",
            "--reporter=line",
            "--workers=1",
            `--output=${join(dir, "results")}`,
          ],
          {
            cwd: dir,
            timeout: 120_000,
            env: {
              ...process.env,
              CHROMIUM_PATH: CHROMIUM,
              [secretVariable("type-password-field")]: DEMO_PASSWORD,
            },
          },
        );
        expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
        expect(result.stdout).toMatch(/1 passed/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 150_000);
  });
});
