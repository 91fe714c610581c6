import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { FsBlobStore } from "../adapters/blobs/fs-blob-store.js";
import { BrowserPool } from "../adapters/browser/pool.js";
import { openEventStore, withSearchPath } from "../adapters/eventstore/open.js";
import type { SqlEventStore } from "../adapters/eventstore/sql-event-store.js";
import { SnapshotStore } from "../adapters/snapshots/snapshot-store.js";
import { DEMO_PASSWORD, serveDemo } from "../demo/app.js";
import { createEventRegistry } from "../domain/catalog.js";
import { validatePlan } from "../domain/plan/parse.js";
import { runStreamId } from "../domain/run/events.js";
import { TestEngine } from "../engine/engine.js";
import { RunQueue } from "../engine/queue/run-queue.js";

const BIN = fileURLToPath(new URL("../../bin/testdriver.js", import.meta.url));
const STEPS = 12;
const LEASE_TTL_MS = 5000;

/** Sign in, add and delete an item, sign out: the password from the workers' environment. */
function scalePlan(url: string) {
  const css = (description: string, selector: string) => ({ description, css: selector });
  return validatePlan({
    plan_id: "bench-scale",
    name: "Scale flow",
    application_url: url,
    test_steps: [
      { action: "navigate", params: { url: "/login" } },
      { action: "type", params: { target: css("Email", "#email"), text: "alice@example.com" } },
      { action: "type", params: { target: css("Password", "#password"), text: "${env:APP_PASSWORD}" } },
      { action: "click", params: { target: css("Sign in", "#login-btn") } },
      { action: "assert", params: { text: "Welcome, alice" } },
      { action: "assert", params: { url_contains: "/dashboard" } },
      { action: "type", params: { target: css("New item", "#new-item"), text: "Milk" } },
      { action: "click", params: { target: css("Add", "#add-btn") } },
      { action: "assert", params: { text: "3 item(s)" } },
      { action: "click", params: { target: css("Delete Milk", "[aria-label='Delete Milk']") } },
      { action: "click", params: { target: css("Sign out", "#logout") } },
      { action: "assert", params: { text: "Sign in to Listly" } },
    ],
  });
}

interface Worker {
  child: ChildProcess;
  exited: Promise<unknown>;
}

/** A `testdriver worker` process on the bench schema; resolves once it asks the queue for work. */
async function startWorker(databaseUrl: string, dataDir: string, slots: number): Promise<Worker> {
  const child = spawn(process.execPath, [BIN, "worker", "--slots", String(slots)], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TESTDRIVER_STORE: "postgres",
      TESTDRIVER_DATA_DIR: dataDir,
      TESTDRIVER_LEASE_TTL_MS: String(LEASE_TTL_MS),
      TESTDRIVER_LOG_LEVEL: "error",
      APP_PASSWORD: DEMO_PASSWORD,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  for await (const line of createInterface({ input: child.stdout! }))
    if (line.startsWith("testdriver worker ")) return { child, exited };
  throw new Error("a worker exited before it started");
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

/** What the log says of the runs: statuses, step durations, queue waits, and lost or doubled steps. */
async function readRuns(store: SqlEventStore, runIds: string[]) {
  const steps: number[] = [];
  const waits: number[] = [];
  const statuses: Record<string, number> = {};
  let lost = 0;
  let doubled = 0;
  for (const id of runIds) {
    const events = await store.readStream(runStreamId(id));
    const at = (type: string) => events.find((e) => e.type === type)?.data as { at: string } | undefined;
    const status = (events.findLast((e) => e.type === "RunCompleted")?.data as { status: string })?.status;
    statuses[status ?? "unfinished"] = (statuses[status ?? "unfinished"] ?? 0) + 1;
    const requested = at("RunRequested");
    const started = at("RunStarted");
    if (requested && started) waits.push(Date.parse(started.at) - Date.parse(requested.at));
    const passes = new Map<number, number>();
    for (const e of events)
      if (e.type === "StepPassed") {
        const data = e.data as { index: number; duration_ms: number };
        passes.set(data.index, (passes.get(data.index) ?? 0) + 1);
        steps.push(data.duration_ms);
      }
    lost += STEPS - passes.size;
    doubled += [...passes.values()].filter((n) => n > 1).length;
  }
  return { steps, waits, statuses, lost, doubled };
}

async function waitForRuns(queue: RunQueue, runIds: string[]) {
  for (;;) {
    const entries = await queue.entries(runIds);
    if ([...entries.values()].every((e) => e.status === "done")) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Queues runs on an engine that only records (the workers execute). */
async function queueRuns(store: SqlEventStore, dataDir: string, url: string, count: number) {
  const blobs = new FsBlobStore(join(dataDir, "blobs"));
  const engine = new TestEngine({
    store,
    pool: new BrowserPool({ drivers: {}, maxConcurrentSessions: 1 }),
    blobs,
    snapshots: new SnapshotStore(blobs),
  });
  const queue = new RunQueue(store.db);
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(await engine.start({ plan: scalePlan(url), requestedBy: "bench" }));
  for (const id of ids) await queue.enqueue(id);
  return ids;
}

interface ScaleOptions {
  databaseUrl: string;
  workers?: number[];
  runs?: number;
  slots?: number;
  /** How many times each worker count is measured; its median round is printed, with every round's rate. */
  rounds?: number;
}

/**
 * The same plan, `runs` at once, executed by 1, 2 and 4 worker processes against one PostgreSQL; then a
 * worker killed mid-run and the time until another takes the run over and finishes it.
 */
export async function benchScale(options: ScaleOptions): Promise<Record<string, unknown>[]> {
  const demo = await serveDemo(1);
  const lines: Record<string, unknown>[] = [];
  const runs = options.runs ?? 8;
  const slots = options.slots ?? 2;
  try {
    for (const workers of options.workers ?? [1, 2, 4]) {
      const rounds: Record<string, unknown>[] = [];
      for (let round = 0; round < (options.rounds ?? 3); round++) {
        rounds.push(
          await withSchema(options.databaseUrl, async (databaseUrl, store, dataDir) => {
            const started = await Promise.all(
              Array.from({ length: workers }, () => startWorker(databaseUrl, dataDir, slots)),
            );
            try {
              const t0 = performance.now();
              const ids = await queueRuns(store, dataDir, demo.url, runs);
              await waitForRuns(new RunQueue(store.db), ids);
              const minutes = (performance.now() - t0) / 60_000;
              const r = await readRuns(store, ids);
              return {
                bench: "scale",
                workers,
                slots_per_worker: slots,
                runs,
                runs_per_min: Math.round((runs / minutes) * 10) / 10,
                step_p50_ms: percentile(r.steps, 50),
                step_p95_ms: percentile(r.steps, 95),
                queue_wait_p50_ms: percentile(r.waits, 50),
                queue_wait_max_ms: percentile(r.waits, 100),
                statuses: r.statuses,
                lost_steps: r.lost,
                doubled_steps: r.doubled,
              };
            } finally {
              await stopAll(started);
            }
          }),
        );
      }
      // The median round by throughput stands for the worker count; every round's rate shows the spread.
      const byRate = [...rounds].sort((a, b) => Number(a.runs_per_min) - Number(b.runs_per_min));
      lines.push({
        ...byRate[Math.floor((byRate.length - 1) / 2)],
        rounds: rounds.length,
        runs_per_min_each: rounds.map((r) => r.runs_per_min),
      });
    }
    lines.push(
      await withSchema(options.databaseUrl, (url, store, dir) => takeover(url, store, dir, demo.url)),
    );
  } finally {
    await demo.close();
  }
  return lines;
}

/** Two workers; the one holding the run is killed (SIGKILL) mid-run; the other takes it over. */
async function takeover(databaseUrl: string, store: SqlEventStore, dataDir: string, url: string) {
  const started = await Promise.all([1, 2].map(() => startWorker(databaseUrl, dataDir, 1)));
  try {
    const [runId] = await queueRuns(store, dataDir, url, 1);
    const queue = new RunQueue(store.db);
    // Once four steps have passed, kill the worker holding the run (its pid is in its name).
    for (;;) {
      const events = await store.readStream(runStreamId(runId!));
      if (events.filter((e) => e.type === "StepPassed").length >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const holder = (await queue.entry(runId!))!.worker!;
    const pid = Number(holder.split(":")[1]);
    const victim = started.find((w) => w.child.pid === pid)!;
    const killedAt = Date.now();
    victim.child.kill("SIGKILL");
    await victim.exited;
    await waitForRuns(queue, [runId!]);
    const events = await store.readStream(runStreamId(runId!));
    const taken = events.find((e) => e.type === "RunTakenOver")?.data as { at: string } | undefined;
    const completed = events.find((e) => e.type === "RunCompleted")?.data as { at: string; status: string };
    const r = await readRuns(store, [runId!]);
    return {
      bench: "scale-takeover",
      lease_ttl_ms: LEASE_TTL_MS,
      takeover_ms: taken ? Date.parse(taken.at) - killedAt : null,
      finished_after_kill_ms: Date.parse(completed.at) - killedAt,
      status: completed.status,
      lost_steps: r.lost,
      doubled_steps: r.doubled,
    };
  } finally {
    await stopAll(started);
  }
}

async function stopAll(workers: Worker[]) {
  for (const w of workers)
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGTERM");
  await Promise.all(workers.map((w) => w.exited));
}

/** A fresh schema (and artifact directory) for one measurement, migrated, dropped after. */
async function withSchema<T>(
  url: string,
  fn: (databaseUrl: string, store: SqlEventStore, dataDir: string) => Promise<T>,
): Promise<T> {
  const schema = `bench_scale_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const dataDir = mkdtempSync(join(tmpdir(), "td-bench-scale-"));
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const { store } = await openEventStore(
      { kind: "postgres", connectionString: url, schema },
      createEventRegistry(),
    );
    try {
      return await fn(withSearchPath(url, schema), store, dataDir);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
