import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsBlobStore } from "../../src/adapters/blobs/fs-blob-store.js";
import { BrowserPool } from "../../src/adapters/browser/pool.js";
import { openEventStore, type StoreConfig, withSearchPath } from "../../src/adapters/eventstore/open.js";
import { SnapshotStore } from "../../src/adapters/snapshots/snapshot-store.js";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import type { TestPlan } from "../../src/domain/plan/model.js";
import { runStreamId } from "../../src/domain/run/events.js";
import { TestEngine } from "../../src/engine/engine.js";
import { RunQueue } from "../../src/engine/queue/run-queue.js";
import { browsersAvailable } from "../support/browsers.js";
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from "../support/databases.js";
import { demoPlan } from "../support/engine.js";

const CLI = join(import.meta.dirname, "../../src/cli/main.ts");
const EMAIL = "alice@example.com";
const TTL_MS = 4000;

/** The demo plan signing in with values from the workers' environment: no secret lives in one process. */
function planFromEnvironment(url: string): TestPlan {
  const plan = demoPlan(url, "takeover");
  const steps = plan.test_steps.map((s, i) =>
    i === 1
      ? { ...s, params: { ...s.params, text: "${env:APP_USER}" } }
      : i === 2
        ? { ...s, params: { ...s.params, text: "${env:APP_PASSWORD}", secret: undefined } }
        : s,
  );
  return { ...plan, test_steps: steps as TestPlan["test_steps"] };
}

interface WorkerProcess {
  child: ChildProcess;
  name: Promise<string>;
  /** Resolves with the first stdout line matching. */
  line: (pattern: RegExp) => Promise<string>;
  exited: Promise<number | null>;
}

/** A `testdriver worker` process with a short lease, its progress on stderr. */
function worker(env: Record<string, string>, args: string[] = []): WorkerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "worker", "--progress", ...args], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TESTDRIVER_LEASE_TTL_MS: String(TTL_MS),
      TESTDRIVER_LOG_LEVEL: "warn",
      APP_USER: EMAIL,
      APP_PASSWORD: DEMO_PASSWORD,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const seen: string[] = [];
  const watch = (stream: NodeJS.ReadableStream) =>
    createInterface({ input: stream }).on("line", (line) => {
      seen.push(line);
      for (const w of waiting.filter((w) => w.pattern.test(line))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve(line);
      }
    });
  watch(child.stdout!);
  watch(child.stderr!);
  const line = (pattern: RegExp) =>
    new Promise<string>((resolve) => {
      const already = seen.find((l) => pattern.test(l));
      if (already) resolve(already);
      else waiting.push({ pattern, resolve });
    });
  return {
    child,
    line,
    name: line(/^testdriver worker (\S+):/).then((l) => /^testdriver worker (\S+):/.exec(l)![1]!),
    exited: new Promise((resolve) => child.on("exit", resolve)),
  };
}

/** Records the run and queues it, as an API server without a worker does. */
async function queueRun(config: StoreConfig, dataDir: string, plan: TestPlan): Promise<string> {
  const { store } = await openEventStore(config, createEventRegistry());
  try {
    const blobs = new FsBlobStore(join(dataDir, "blobs"));
    const pool = new BrowserPool({ drivers: {}, maxConcurrentSessions: 1 });
    const engine = new TestEngine({ store, pool, blobs, snapshots: new SnapshotStore(blobs) });
    const runId = await engine.start({ plan, requestedBy: "test" });
    await new RunQueue(store.db).enqueue(runId);
    return runId;
  } finally {
    await store.close();
  }
}

/** What the log says about the run: its events' types, each step's passes, and the takeover. */
async function outcome(config: StoreConfig, runId: string) {
  const { store } = await openEventStore(config, createEventRegistry());
  try {
    const events = await store.readStream(runStreamId(runId));
    const passes = new Map<number, number>();
    for (const e of events)
      if (e.type === "StepPassed") {
        const index = (e.data as { index: number }).index;
        passes.set(index, (passes.get(index) ?? 0) + 1);
      }
    return {
      types: events.map((e) => e.type),
      passes,
      takeover: events.find((e) => e.type === "RunTakenOver")?.data as Record<string, unknown> | undefined,
      completed: events.find((e) => e.type === "RunCompleted")?.data as { status: string } | undefined,
    };
  } finally {
    await store.close();
  }
}

/**
 * Kills the first worker hard once the form is half filled, and checks that the second took the run over
 * once the lease ran out and finished it: passed, every step passed exactly once.
 */
async function killAndTakeOver(
  config: StoreConfig,
  env: Record<string, string>,
  dataDir: string,
  demo: RunningDemo,
  secondArgs: string[],
) {
  const runId = await queueRun(config, dataDir, planFromEnvironment(demo.url));
  const first = worker(env);
  const firstName = await first.name;
  // Step 3 of 13 (the password) finished: the form is half filled and not sent.
  await first.line(/✓ \[3\/13\]/);
  first.child.kill("SIGKILL");
  await first.exited;
  const second = worker(env, secondArgs);
  try {
    const done = await second.line(new RegExp(`^run ${runId} `));
    expect(done).toBe(`run ${runId} passed (taken over from ${firstName})`);
  } finally {
    if (second.child.exitCode === null) second.child.kill("SIGTERM");
    await second.exited;
  }
  const result = await outcome(config, runId);
  expect(result.completed?.status).toBe("passed");
  expect(result.takeover).toMatchObject({ previous_worker: firstName, worker: await second.name });
  const takenAt = result.types.indexOf("RunTakenOver");
  expect(result.types[takenAt + 1]).toBe("RunResumed");
  // Thirteen steps, each passed once: nothing the first worker finished ran again, nothing was lost.
  expect([...result.passes.keys()].sort((a, b) => a - b)).toEqual([...Array(13).keys()]);
  expect([...result.passes.values()].every((n) => n === 1)).toBe(true);
}

describe.runIf(browsersAvailable)("a worker killed mid-run", () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await serveDemo(1);
  });
  afterAll(async () => {
    await demo?.close();
  });

  describe.runIf(postgresAvailable)("on PostgreSQL, two worker processes", () => {
    const schema = uniqueSchema("takeover");
    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
    });
    afterAll(() => dropSchema(schema));

    it("is taken over by the other worker once its lease runs out, and the run passes", async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "td-takeover-pg-"));
      const config: StoreConfig = { kind: "postgres", connectionString: TEST_DATABASE_URL, schema };
      await killAndTakeOver(
        config,
        { DATABASE_URL: withSearchPath(TEST_DATABASE_URL, schema), TESTDRIVER_DATA_DIR: dataDir },
        dataDir,
        demo,
        [],
      );
    }, 240_000);
  });

  it("on PGlite, is taken over by the next worker process on the same data directory, and the run passes", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "td-takeover-pglite-"));
    await killAndTakeOver(
      { kind: "pglite", dataDir },
      { TESTDRIVER_STORE: "pglite", TESTDRIVER_DATA_DIR: dataDir },
      dataDir,
      demo,
      ["--exit-when-idle"],
    );
  }, 240_000);
});
