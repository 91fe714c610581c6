import { randomBytes } from "node:crypto";
import pg from "pg";
import { z } from "zod";
import { openEventStore, type StoreConfig } from "../../src/adapters/eventstore/open.js";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import { defineEvent, EventRegistry } from "../../src/domain/events/registry.js";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function probePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Whether suites that need PostgreSQL run. Under CI=true they always run, so a missing database fails them
 * instead of skipping them silently.
 */
export const postgresAvailable = process.env.CI === "true" || (await probePostgres());

export function uniqueSchema(prefix = "t"): string {
  return `${prefix}_${randomBytes(6).toString("hex")}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

export const thingHappened = defineEvent({
  type: "ThingHappened",
  version: 2,
  schema: z.object({
    name: z.string().min(1),
    count: z.number().int().nonnegative(),
    tags: z.array(z.string()),
  }),
  // Version 1 had no tags.
  upcasters: { 1: (data) => ({ ...(data as object), tags: [] }) },
});

export const counted = defineEvent({
  type: "Counted",
  version: 1,
  schema: z.object({ writer: z.number().int(), n: z.number().int() }),
});

export const testRegistry = () => new EventRegistry([thingHappened, counted]);

export interface StoreFixture {
  name: "pglite" | "postgres";
  open: () => Promise<SqlEventStore>;
  cleanup: () => Promise<void>;
}

export function storeFixtures(): StoreFixture[] {
  const schemas: string[] = [];
  const fixtures: StoreFixture[] = [
    {
      name: "pglite",
      open: async () =>
        (await openEventStore({ kind: "pglite" }, testRegistry(), { pollIntervalMs: 200 })).store,
      cleanup: async () => {},
    },
  ];
  if (postgresAvailable) {
    fixtures.push({
      name: "postgres",
      open: async () => {
        const schema = uniqueSchema();
        schemas.push(schema);
        const config: StoreConfig = {
          kind: "postgres",
          connectionString: TEST_DATABASE_URL,
          schema,
          poolSize: 12,
        };
        return (await openEventStore(config, testRegistry(), { pollIntervalMs: 200 })).store;
      },
      cleanup: async () => {
        await Promise.all(schemas.splice(0).map(dropSchema));
      },
    });
  }
  return fixtures;
}

/**
 * Waits until every event appended so far is visible to readers. On PostgreSQL a reader sees an event once no
 * older transaction is open anywhere in the cluster, and other suites share the cluster (one of them stalls a
 * writer on purpose): tests that count what readers see wait for this first.
 */
export async function allVisible(store: SqlEventStore): Promise<void> {
  const { rows } = await store.db.query<{ p: string | null }>(
    "SELECT max(global_position) AS p FROM td_events",
  );
  const last = Number(rows[0]?.p ?? 0);
  while ((await store.headPosition()) < last) await new Promise((r) => setTimeout(r, 20));
}
