import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserPidOf } from "../../src/adapters/browser/browser-process.js";
import type { WebdriverIOSession } from "../../src/adapters/browser/webdriverio-session.js";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import type { TestPlan } from "../../src/domain/plan/model.js";
import { ResumeSecretsError } from "../../src/engine/resume/secrets.js";
import type { RunDetails } from "../../src/projections/run-report/details.js";
import { browsersAvailable } from "../support/browsers.js";
import { blobsHolding, capturedLogger, demoPlan, type Harness, harness } from "../support/engine.js";

const EMAIL = "alice@example.com";

/** The demo plan, signing in with values from the environment instead of literals. */
function planFromEnvironment(url: string): TestPlan {
  const plan = demoPlan(url, "resume-env");
  const steps = plan.test_steps.map((s, i) =>
    i === 1
      ? { ...s, params: { ...s.params, text: "${env:APP_USER}" } }
      : i === 2
        ? { ...s, params: { ...s.params, text: "${env:APP_PASSWORD}", secret: undefined } }
        : s,
  );
  return { ...plan, test_steps: steps as TestPlan["test_steps"] };
}

const restoreReport = (log: ReturnType<typeof capturedLogger>) =>
  log.lines().find((l) => l.msg === "page restored")?.restore as Record<string, unknown> | undefined;

describe.runIf(browsersAvailable)("a resumed run continues where the form was left", () => {
  let h: Harness;
  let demo: RunningDemo;
  beforeAll(async () => {
    h = await harness();
    demo = await serveDemo(1);
  });
  afterAll(async () => {
    await h?.close();
    await demo?.close();
  });

  it("after a graceful stop mid-form, in another engine given the environment's secrets (Playwright)", async () => {
    const env = { APP_USER: EMAIL, APP_PASSWORD: DEMO_PASSWORD };
    const first = h.engine({ env });
    const runId = await first.start({ plan: planFromEnvironment(demo.url) });
    first.onProgress((e) => {
      if (e.runId === runId && e.kind === "step_finished" && e.index === 2) void first.stop(runId);
    });
    const stopped = await first.execute(runId);
    expect(stopped.status).toBe("stopped");
    expect(stopped.stop?.resumable).toBe(true);
    // Both fields held values from the environment: the snapshot kept neither.
    expect(blobsHolding(h.blobs.root, EMAIL)).toEqual([]);

    // Another process: it has neither the values nor the environment.
    const log = capturedLogger();
    const second = h.engine({ env: {}, logger: log.logger });
    const version = (await h.runEvents(runId)).length;
    const missing = await second.resume(runId).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ResumeSecretsError);
    expect((missing as ResumeSecretsError).problems.map((p) => p.key).sort()).toEqual([
      "APP_PASSWORD",
      "APP_USER",
    ]);
    const unknown = await second
      .resume(runId, { secrets: { ...env, APP_TOKEN: "x" } })
      .catch((e: unknown) => e);
    expect((unknown as ResumeSecretsError).problems).toEqual([
      expect.objectContaining({ key: "APP_TOKEN", problem: expect.stringMatching(/^not a secret step/) }),
    ]);
    expect((unknown as Error).message).not.toContain(DEMO_PASSWORD);
    expect(await h.runEvents(runId)).toHaveLength(version);

    const resumed = await second.resume(runId, { secrets: env });
    expect(resumed.error).toBeUndefined();
    expect(resumed.status).toBe("passed");
    expect(restoreReport(log)).toMatchObject({
      url_matches: true,
      fields_restored: 0,
      fields_omitted: 2,
      input_steps: ["type-email-field", "type-password-field"],
      replayed: ["type-email-field", "type-password-field"],
      fields_missing: [],
      complete: true,
    });
    expect(log.text()).not.toContain(DEMO_PASSWORD);
    expect(blobsHolding(h.blobs.root, DEMO_PASSWORD)).toEqual([]);
  }, 120_000);

  it("after its browser was killed with text typed on a scripted page (WebdriverIO)", async () => {
    const log = capturedLogger();
    const engine = h.engine({ logger: log.logger });
    const runId = await engine.start({ plan: demoPlan(demo.url, "resume-kill"), driver: "webdriverio" });
    engine.onProgress((e) => {
      // "Milk" is typed into the list's input, not yet added: kill the browser under the run.
      if (e.runId !== runId || e.kind !== "step_finished" || e.index !== 6) return;
      const session = engine.activeSession(runId) as WebdriverIOSession;
      process.kill(browserPidOf(session.profileDir!)!, "SIGKILL");
    });
    const stopped: RunDetails = await engine.execute(runId);
    expect(stopped.status).toBe("stopped");
    expect(stopped.stop).toMatchObject({ resumable: true });

    const resumed = await engine.resume(runId);
    expect(resumed.error).toBeUndefined();
    expect(resumed.status).toBe("passed");
    // The typed item came back from the snapshot, and the Add button then added it ("3 item(s)").
    expect(restoreReport(log)).toMatchObject({
      url_matches: true,
      fields_restored: 1,
      fields_omitted: 0,
      input_steps: ["type-new-item"],
      replayed: [],
      focus: "restored",
      complete: true,
    });
    expect(resumed.steps.find((s) => s.step_id === "assert-3-item-s")?.status).toBe("passed");
  }, 120_000);
});
