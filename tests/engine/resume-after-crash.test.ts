import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD, serveDemo } from "../../src/demo/app.js";
import { browsersAvailable } from "../support/browsers.js";
import { blobsHolding, capturedLogger, harness } from "../support/engine.js";

describe.runIf(browsersAvailable)("a run whose process dies", () => {
  it("killed with a half-filled form, is resumed by another process and passes, without repeating finished steps", async () => {
    const demo = await serveDemo(1);
    const dataDir = mkdtempSync(join(tmpdir(), "td-crash-"));
    const runId = randomUUID();
    try {
      const child = spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          join(import.meta.dirname, "../support/run-demo-child.ts"),
          dataDir,
          demo.url,
          runId,
          "2",
        ],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const exited = new Promise((resolve) => child.on("exit", resolve));
      // Kill it hard once email and password are typed, before the form is sent: nothing more is recorded,
      // and the password (a secret) lived only in the dead process's memory.
      for await (const line of createInterface({ input: child.stdout! })) {
        if (line === "STEP 2 passed") {
          child.kill("SIGKILL");
          break;
        }
      }
      await exited;

      const h = await harness(dataDir);
      try {
        const before = await h.engine().commands.loadRun(runId);
        expect(before.status).toBe("running");
        // The child freezes after step 2; whatever it finished before the kill must not run again.
        const finished = before.steps.filter((s) => s.status === "passed").map((s) => s.index);
        expect(finished.slice(0, 3)).toEqual([0, 1, 2]);
        const log = capturedLogger();
        const engine = h.engine({ logger: log.logger });
        // The password is typed again on resume, so it must be given; without it nothing is recorded.
        const version = (await h.runEvents(runId)).length;
        await expect(engine.resume(runId)).rejects.toThrow(/needs secrets to resume: type-password-field/);
        expect(await h.runEvents(runId)).toHaveLength(version);
        const resumed = await engine.resume(runId, { secrets: { "type-password-field": DEMO_PASSWORD } });
        // The email came back from the snapshot, the password from the replay of its step.
        expect(log.lines().find((l) => l.msg === "page restored")?.restore).toMatchObject({
          url_matches: true,
          fields_restored: 1,
          fields_omitted: 1,
          input_steps: ["type-email-field", "type-password-field"],
          replayed: ["type-password-field"],
          complete: true,
        });
        expect(log.text()).not.toContain(DEMO_PASSWORD);
        expect(blobsHolding(join(dataDir, "blobs"), DEMO_PASSWORD)).toEqual([]);
        expect(resumed.error).toBeUndefined();
        expect(resumed.status).toBe("passed");
        const started = (await h.runEvents(runId))
          .filter((e) => e.type === "StepStarted")
          .map((e) => (e.data as { index: number }).index);
        const once = started.filter((i) => finished.includes(i));
        expect(once).toEqual(finished);
        expect(started.at(-1)).toBe(12);
        expect((await h.runEvents(runId)).map((e) => e.type)).toContain("RunResumed");
      } finally {
        await h.close();
      }
    } finally {
      await demo.close();
    }
    // Two processes each start TypeScript, PGlite and Chromium: on a busy machine that takes a while.
  }, 180_000);
});
