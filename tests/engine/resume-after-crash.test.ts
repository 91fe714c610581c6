import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { serveDemo } from "../../src/demo/app.js";
import { browsersAvailable } from "../support/browsers.js";
import { harness } from "../support/engine.js";

describe.runIf(browsersAvailable)("a run whose process dies", () => {
  it("is resumed by another process from its last snapshot, without repeating finished steps", async () => {
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
          "4",
        ],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const exited = new Promise((resolve) => child.on("exit", resolve));
      // Kill it hard once the sign-in has happened: no chance to record anything more.
      for await (const line of createInterface({ input: child.stdout! })) {
        if (line === "STEP 4 passed") {
          child.kill("SIGKILL");
          break;
        }
      }
      await exited;

      const h = await harness(dataDir);
      try {
        const before = await h.engine().commands.loadRun(runId);
        expect(before.status).toBe("running");
        // The child freezes after step 4; whatever it finished before the kill must not run again.
        const finished = before.steps.filter((s) => s.status === "passed").map((s) => s.index);
        expect(finished.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
        const resumed = await h.engine().resume(runId);
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
