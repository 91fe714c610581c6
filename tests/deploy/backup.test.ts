import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openEventStore, withSearchPath } from "../../src/adapters/eventstore/open.js";
import { runCli } from "../support/cli.js";
import {
  allVisible,
  dropSchema,
  postgresAvailable,
  TEST_DATABASE_URL,
  testRegistry,
  uniqueSchema,
} from "../support/databases.js";

const databaseUrl = (name: string) => {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

describe.runIf(postgresAvailable)("backup and restore of the event log", () => {
  const schema = uniqueSchema("backup");
  const target = `td_restore_${schema}`;
  afterAll(async () => {
    await dropSchema(schema);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${target}`);
    await admin.end();
  });

  it("dumps, restores into another database with other transaction ids, and readers see old events, then new ones", async () => {
    const source = withSearchPath(TEST_DATABASE_URL, schema);
    const { store } = await openEventStore(
      { kind: "postgres", connectionString: TEST_DATABASE_URL, schema },
      testRegistry(),
    );
    for (let i = 0; i < 30; i++)
      await store.append(`thing-${i % 3}`, [
        { type: "ThingHappened", data: { name: `old-${i}`, count: i, tags: [] } },
      ]);
    const before = (await store.readAll({ limit: 100 })).events.map((e) => [
      e.streamId,
      e.globalPosition,
      (e.data as { name: string }).name,
    ]);
    expect(before).toHaveLength(30);
    // The cluster these events came from was busier: their transaction ids lie far above this cluster's, as
    // they would after a restore into a new cluster. Such events are invisible to every reader here.
    await store.db.query("ALTER TABLE td_events DISABLE TRIGGER td_events_no_update_or_delete");
    await store.db.query(
      "UPDATE td_events SET transaction_id = (transaction_id::text::bigint + 1000000000)::text::xid8",
    );
    await store.db.query("ALTER TABLE td_events ENABLE TRIGGER td_events_no_update_or_delete");
    expect(await store.headPosition()).toBe(0);
    await store.close();

    const file = join(mkdtempSync(join(tmpdir(), "td-backup-")), "log.dump");
    const env = (url: string) => ({
      DATABASE_URL: url,
      TESTDRIVER_DATA_DIR: mkdtempSync(join(tmpdir(), "td-b-")),
      TESTDRIVER_LOG_LEVEL: "warn",
    });
    const backup = await runCli(["backup", file], env(source));
    expect(backup.code, backup.stderr).toBe(0);

    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${target}`);
    await admin.end();
    const restoredUrl = withSearchPath(databaseUrl(target), schema);
    const restore = await runCli(["restore", file], env(restoredUrl));
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain("30 events given this cluster's frozen transaction id");

    const { store: restored } = await openEventStore(
      { kind: "postgres", connectionString: databaseUrl(target), schema },
      testRegistry(),
    );
    try {
      const old = (await restored.readAll({ limit: 100 })).events.map((e) => [
        e.streamId,
        e.globalPosition,
        (e.data as { name: string }).name,
      ]);
      expect(old).toEqual(before);
      const appended = await restored.append(
        "thing-0",
        [{ type: "ThingHappened", data: { name: "new-0", count: 0, tags: [] } }],
        {
          expectedVersion: 10,
        },
      );
      expect(appended.positions[0]).toBeGreaterThan(before.at(-1)![1] as number);
      await allVisible(restored);
      const all = (await restored.readAll({ limit: 100 })).events.map(
        (e) => (e.data as { name: string }).name,
      );
      expect(all).toEqual([...before.map((b) => b[2]), "new-0"]);
      expect(await restored.streamVersion("thing-0")).toBe(11);
    } finally {
      await restored.close();
    }
  }, 120_000);
});
