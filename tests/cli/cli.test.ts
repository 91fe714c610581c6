import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { RunCommands } from "../../src/commands/run-commands.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { EventRegistry } from "../../src/domain/events/registry.js";
import { runCli } from "../support/cli.js";
import { counted } from "../support/databases.js";

const run = runCli;

describe("testdriver CLI", () => {
  it("migrate applies the schema to the embedded store and reports it as JSON", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "td-cli-"));
    const first = await run(["migrate"], { TESTDRIVER_DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ store: "pglite", extensions: ["vector"] });
    expect(report.applied).toContain("001_event_store.sql");
    const second = JSON.parse((await run(["migrate"], { TESTDRIVER_DATA_DIR: dataDir })).stdout);
    expect(second.applied).toEqual([]);
  });

  it("events tail prints the log as JSON lines, from a position or the newest few", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "td-cli-"));
    const { store } = await openEventStore({ kind: "pglite", dataDir }, new EventRegistry([counted]));
    const { positions } = await store.append(
      "tail-1",
      Array.from({ length: 5 }, (_, n) => ({ type: "Counted", data: { writer: 0, n } })),
    );
    await store.close();

    const all = await run(["events", "tail", "--from", "0"], { TESTDRIVER_DATA_DIR: dataDir });
    expect(all.code).toBe(0);
    const lines = all.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((e) => e.data.n)).toEqual([0, 1, 2, 3, 4]);
    expect(lines[0]).toMatchObject({ streamId: "tail-1", type: "Counted", globalPosition: positions[0] });

    const from = await run(["events", "tail", "--from", String(positions[2])], {
      TESTDRIVER_DATA_DIR: dataDir,
    });
    expect(
      from.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).data.n),
    ).toEqual([3, 4]);

    const last = await run(["events", "tail", "--last", "2"], { TESTDRIVER_DATA_DIR: dataDir });
    expect(
      last.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).data.n),
    ).toEqual([3, 4]);
  });

  it("keeps stdout for output: logs go to stderr", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "td-cli-"));
    const result = await run(["migrate"], { TESTDRIVER_DATA_DIR: dataDir, TESTDRIVER_LOG_LEVEL: "debug" });
    expect(() => JSON.parse(result.stdout)).not.toThrow();
    expect(result.stderr).toContain('"msg":"migrations applied"');
  });

  it("a bad configuration value stops start-up with exit code 2 and names key, value and what is allowed", async () => {
    const result = await run(["migrate"], { TESTDRIVER_PORT: "eighty" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('env TESTDRIVER_PORT = "eighty"');
    expect(result.stderr).toContain("allowed: a whole number from 0 to 65535");
    expect(result.stdout).toBe("");
  });

  it("a bad argument is exit code 2 with a usage hint", async () => {
    const result = await run(["events", "tail", "--from", "-3"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("must be a whole number >= 0");
  });

  it("resume --secret takes NAME=VALUE and never echoes what it was given", async () => {
    const result = await run(["resume", "00000000-0000-4000-8000-000000000000", "--secret", "hunter2"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--secret: give NAME=VALUE");
    expect(result.stderr).not.toContain("hunter2");
  });

  it("a locked data directory is refused with the holder named", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "td-cli-"));
    const { store } = await openEventStore({ kind: "pglite", dataDir }, createEventRegistry());
    try {
      const result = await run(["migrate"], { TESTDRIVER_DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`in use by process ${process.pid}`);
    } finally {
      await store.close();
    }
  });

  it("config --reference lists every setting with its environment variable", async () => {
    const result = await run(["config", "--reference"]);
    expect(result.code).toBe(0);
    for (const env of ["DATABASE_URL", "TESTDRIVER_DATA_DIR", "TESTDRIVER_PORT", "TESTDRIVER_LOG_LEVEL"]) {
      expect(result.stdout).toContain(`\`${env}\``);
    }
  });
});

describe("testdriver projections", () => {
  it("status shows the lag; rebuild re-folds and leaves none", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "td-cli-proj-"));
    const { store } = await openEventStore({ kind: "pglite", dataDir }, createEventRegistry());
    const runId = crypto.randomUUID();
    await new RunCommands(store).run(runId, {
      type: "RequestRun",
      at: new Date().toISOString(),
      run_id: runId,
      application_url: "http://127.0.0.1:1",
      driver: "playwright",
      source: "api",
      planner: "model",
      planning_error: { error: "no model", attempts: 1 },
    });
    await store.close();
    const env = { TESTDRIVER_DATA_DIR: dataDir };
    const before = (await run(["projections", "status"], env)).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(before.map((s) => [s.name, s.lag])).toEqual([
      ["runs", 2],
      ["heal_queue", 2],
      ["snapshot_index", 2],
      ["metrics", 2],
      ["quality_issues", 2],
      ["visual_baselines", 2],
      ["learned_waits", 2],
    ]);
    const rebuilt = await run(["projections", "rebuild", "runs"], env);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(rebuilt.stdout.split("\n")[0]!)).toMatchObject({ name: "runs", lag: 0, checkpoint: 2 });
    expect((await run(["projections", "rebuild", "nope"], env)).stderr).toContain("no projection named nope");
  });
});
