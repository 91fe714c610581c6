import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { uniqueStart } from "../../src/cli/run-ids.js";
import { RunCommands } from "../../src/commands/run-commands.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { runCli } from "../support/cli.js";

describe("a unique start of an id", () => {
  const ids = ["3f2a0000-1", "3f2b0000-2", "9c000000-3"];
  const words = { what: "run", label: () => "", whereIds: "testdriver runs lists them" };
  it("picks the one id it starts, in any case", () => {
    expect(uniqueStart("3F2A", ids, (i) => i, words)).toBe("3f2a0000-1");
    expect(uniqueStart("9", ids, (i) => i, words)).toBe("9c000000-3");
  });
  it("names every candidate when it starts several, and where the ids are when it starts none", () => {
    expect(() => uniqueStart("3f", ids, (i) => i, words)).toThrow(
      "run-id: 3f is the start of 2 run ids; give more of it:\n  3f2a0000-1  \n  3f2b0000-2  ",
    );
    expect(() => uniqueStart("77", ids, (i) => i, words)).toThrow(
      "no run id starts with 77 (testdriver runs lists them)",
    );
  });
});

describe("commands that take a run id accept a unique start of it", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "td-cli-ids-"));
  const first = "aaaa1111-0000-4000-8000-000000000001";
  const second = "aaaa2222-0000-4000-8000-000000000002";
  beforeAll(async () => {
    const { store } = await openEventStore({ kind: "pglite", dataDir }, createEventRegistry());
    for (const runId of [first, second]) {
      await new RunCommands(store).run(runId, {
        type: "RequestRun",
        at: new Date().toISOString(),
        run_id: runId,
        application_url: `http://127.0.0.1:1/${runId.slice(4, 8)}`,
        driver: "playwright",
        source: "api",
        planner: "model",
        planning_error: { error: "no model", attempts: 1 },
      });
    }
    await store.close();
  });
  const run = (args: string[]) =>
    runCli(args, { TESTDRIVER_DATA_DIR: dataDir, TESTDRIVER_LOG_LEVEL: "warn" });

  it("a start that fits one run is that run", async () => {
    const listed = await run(["heals", "list", "aaaa2"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toBe("no heals\n");
    // The run's model could not plan, so there is nothing to export: the refusal names the whole id.
    const exported = await run(["export", "aaaa1"]);
    expect(exported.stderr).toBe(`testdriver: run ${first} has no plan to export\n`);
  });

  it("a start that fits several is refused with each candidate named, exit 2", async () => {
    const result = await run(["export", "aaaa"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^testdriver: run-id: aaaa is the start of 2 run ids; give more of it:\n/);
    expect(result.stderr).toContain(`  ${first}  error`);
    expect(result.stderr).toContain(`  ${second}  error`);
  });

  it("a start that fits none says where the ids are, exit 2", async () => {
    const result = await run(["stop", "bbbb"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("testdriver: no run id starts with bbbb (testdriver runs lists them)\n");
  });
});
