import { randomBytes } from "node:crypto";
import type { SqlEventStore } from "../adapters/eventstore/sql-event-store.js";
import type { RecordedEvent } from "../domain/events/envelope.js";
import type { SqlExecutor } from "../ports/sql.js";
import type { Projection } from "./projection.js";

export interface RebuildOptions {
  /** The projection's row in td_checkpoints. */
  checkpoint: string;
  batchSize?: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Re-folds a projection from the start of the log without readers ever seeing a partial model.
 *
 * The projection's tables get empty twins (`CREATE TABLE ... (LIKE ... INCLUDING ALL)`: columns,
 * defaults, constraints and indexes, so the projection's upserts work) in a schema of their own, put first
 * on the search path while the projection folds the log into them batch by batch: its SQL names its
 * tables unqualified and so writes to the twins, unchanged. Readers and the live runner meanwhile use the
 * live tables. Then one transaction, holding the projection's checkpoint row (so the live runner waits),
 * folds what the live tables have seen since into the twins, replaces the live tables' rows with the
 * twins' and moves the checkpoint. Readers see the old model until that commits and the new one after.
 *
 * The rows move into the live tables rather than the tables being renamed: the live tables keep their
 * names, indexes, grants, TimescaleDB hypertable (with its continuous aggregate) and dependent views,
 * which a rename would leave behind. It needs the privilege to create a schema in the database.
 */
export async function rebuildBeside(
  store: SqlEventStore,
  projection: Projection,
  options: RebuildOptions,
): Promise<void> {
  const db = store.db;
  const twin = `td_rebuild_${randomBytes(6).toString("hex")}`;
  const { rows } = await db.query<{ path: string }>("SELECT current_setting('search_path') AS path");
  const livePath = rows[0]!.path;
  const twinPath = `${quote(twin)}, ${livePath}`;
  const apply = async (tx: SqlExecutor, events: RecordedEvent[]) => {
    const wanted = projection.types ? events.filter((e) => projection.types!.includes(e.type)) : events;
    if (wanted.length === 0) return;
    await tx.query("SELECT set_config('search_path', $1, true)", [twinPath]);
    await projection.apply(wanted, tx, {
      readStreamUpTo: async (streamId, position) =>
        (await store.readStreamWith(tx, streamId)).filter((e) => e.globalPosition <= position),
    });
    await tx.query("SELECT set_config('search_path', $1, true)", [livePath]);
  };

  try {
    await db.transaction(async (tx) => {
      await tx.exec(`CREATE SCHEMA ${quote(twin)}`);
      for (const table of projection.tables)
        await tx.exec(`CREATE TABLE ${quote(twin)}.${quote(table)} (LIKE ${quote(table)} INCLUDING ALL)`);
    });
    let position = 0;
    for (;;) {
      const page = await store.readAll({ after: position, limit: options.batchSize ?? 500 });
      if (page.events.length === 0) break;
      await db.transaction((tx) => apply(tx, page.events));
      position = page.nextAfter;
    }
    await db.transaction(async (tx) => {
      // The checkpoint row first: a live runner's batch waits for this transaction, then finds the move.
      const { rows: held } = await tx.query<{ position: number }>(
        `INSERT INTO td_checkpoints (name, position) VALUES ($1, 0)
         ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING position`,
        [options.checkpoint],
      );
      const live = Number(held[0]!.position);
      // The live tables must not lose what they hold: the twins catch up to them first.
      if (live > position) {
        await apply(tx, await store.readRangeWith(tx, position, live));
        position = live;
      }
      for (const table of projection.tables) {
        const columns = (await insertableColumns(tx, table)).map(quote).join(", ");
        await tx.query(`DELETE FROM ${quote(table)}`);
        await tx.query(
          `INSERT INTO ${quote(table)} (${columns}) OVERRIDING SYSTEM VALUE
           SELECT ${columns} FROM ${quote(twin)}.${quote(table)}`,
        );
      }
      await tx.query("UPDATE td_checkpoints SET position = $2, updated_at = now() WHERE name = $1", [
        options.checkpoint,
        position,
      ]);
      await tx.exec(`DROP SCHEMA ${quote(twin)} CASCADE`);
    });
  } finally {
    await db.exec(`DROP SCHEMA IF EXISTS ${quote(twin)} CASCADE`).catch(() => {});
  }
}

/** A table's columns that take values (generated ones compute theirs). */
async function insertableColumns(tx: SqlExecutor, table: string): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>(
    `SELECT attname AS name FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
      ORDER BY attnum`,
    [table],
  );
  return rows.map((r) => r.name);
}
