import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSearchPath } from "../../src/adapters/eventstore/open.js";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { browsersAvailable } from "../support/browsers.js";
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from "../support/databases.js";

const CLI = join(import.meta.dirname, "../../src/cli/main.ts");

/** A `testdriver serve` replica on the shared database; resolves with its URL once it listens. */
async function replica(databaseUrl: string) {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "serve", "--port", "0"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      TESTDRIVER_DATA_DIR: mkdtempSync(join(tmpdir(), "td-replica-")),
      TESTDRIVER_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  for await (const line of createInterface({ input: child.stdout! })) {
    const url = /^testdriver (http:\/\/\S+) /.exec(line)?.[1];
    if (url) {
      const stop = async () => {
        child.kill("SIGTERM");
        return exited;
      };
      return { url, stop };
    }
  }
  throw new Error("replica exited before listening");
}

// biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field in the assertions
type Json = Record<string, any>;

const post = async (url: string, body: unknown) => {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
};
const get = async (url: string) => (await (await fetch(url)).json()) as Json;

describe.runIf(postgresAvailable && browsersAvailable)("two replicas on one PostgreSQL", () => {
  const schema = uniqueSchema("replicas");
  let demo: RunningDemo;
  let replicas: Awaited<ReturnType<typeof replica>>[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    demo = await serveDemo(1);
    // Both start at once: they race to migrate the same schema, which the migration lock serialises.
    replicas = await Promise.all([
      replica(withSearchPath(TEST_DATABASE_URL, schema)),
      replica(withSearchPath(TEST_DATABASE_URL, schema)),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await demo?.close();
    await dropSchema(schema);
  });

  it("runs driven through both land whole, once each, and both replicas' read models agree", async () => {
    const requirements =
      "Go to /login\nType alice@example.com into the Email field\nExpect to see Sign in to Listly";
    const started = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) =>
        post(`${replicas[i % 2]!.url}/api/runs`, { requirements, url: demo.url, wait: true }),
      ),
    );
    for (const s of started) expect(s.body.status, JSON.stringify(s.body)).toBe("passed");
    const ids = started.map((s) => s.body.run_id as string);

    // Every run's stream is whole on the database: versions 1..n without gaps, every event id once.
    const db = new pg.Client({ connectionString: withSearchPath(TEST_DATABASE_URL, schema) });
    await db.connect();
    try {
      const { rows } = await db.query<{
        stream_id: string;
        versions: string[];
        ids: number;
        distinct_ids: number;
      }>(
        `SELECT stream_id, array_agg(stream_version ORDER BY stream_version)::text[] AS versions,
                count(*)::int AS ids, count(DISTINCT event_id)::int AS distinct_ids
           FROM td_events WHERE stream_id = ANY($1) GROUP BY stream_id`,
        [ids.map((id) => `run-${id}`)],
      );
      expect(rows).toHaveLength(6);
      for (const r of rows) {
        expect(r.versions.map(Number)).toEqual([...Array(r.ids).keys()].map((i) => i + 1));
        expect(r.distinct_ids).toBe(r.ids);
      }
    } finally {
      await db.end();
    }

    // Each replica's projections follow the shared log; wait until both report no lag, then compare.
    for (const r of replicas) {
      for (let i = 0; i < 100; i++) {
        const { projections } = await get(`${r.url}/api/projections`);
        if (projections.every((p: { lag: number }) => p.lag === 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const lists = await Promise.all(replicas.map((r) => get(`${r.url}/api/runs?limit=50`)));
    const summary = (list: Json) =>
      list.runs.map((x: Record<string, unknown>) => [x.run_id, x.status, x.passed_steps]).sort();
    expect(summary(lists[0]!)).toEqual(summary(lists[1]!));
    expect(
      summary(lists[0]!)
        .map((x: unknown[]) => x[0])
        .sort(),
    ).toEqual([...ids].sort());
    for (const id of ids) {
      const refolds = await Promise.all(
        replicas.map((r) => post(`${r.url}/api/runs/${id}/replay`, { mode: "refold" })),
      );
      for (const refold of refolds) expect(refold.body).toMatchObject({ equal: true });
    }
  }, 240_000);
});
