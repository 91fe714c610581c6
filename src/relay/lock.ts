import type { PoolClient } from "pg";
import { PgSqlClient } from "../adapters/sql/pg-client.js";
import type { SqlClient } from "../ports/sql.js";

/** Held while a relay publishes, so that two relays started by mistake never publish side by side. */
export interface RelayLock {
  /** True if this relay now holds the lock. */
  tryAcquire(): Promise<boolean>;
  release(): Promise<void>;
}

// The embedded database serves one process (its directory lock), so an in-process registry is enough there.
const heldInProcess = new WeakMap<object, Set<string>>();

/**
 * PostgreSQL: a session advisory lock on a dedicated connection, released when the relay stops or its
 * process dies (the server ends the session). PGlite: a registry in the one process that may open it.
 */
export function relayLock(db: SqlClient, name: string): RelayLock {
  if (db instanceof PgSqlClient) {
    let client: PoolClient | undefined;
    return {
      async tryAcquire() {
        if (client) return true;
        const candidate = await db.pool.connect();
        const { rows } = await candidate.query<{ ok: boolean }>(
          "SELECT pg_try_advisory_lock(hashtext('testdriver-relay'), hashtext($1)) AS ok",
          [name],
        );
        if (rows[0]?.ok) {
          client = candidate;
          return true;
        }
        candidate.release();
        return false;
      },
      async release() {
        if (!client) return;
        const held = client;
        client = undefined;
        await held
          .query("SELECT pg_advisory_unlock(hashtext('testdriver-relay'), hashtext($1))", [name])
          .catch(() => {});
        held.release();
      },
    };
  }
  let mine = false;
  return {
    async tryAcquire() {
      if (mine) return true;
      const names = heldInProcess.get(db) ?? new Set<string>();
      heldInProcess.set(db, names);
      if (names.has(name)) return false;
      names.add(name);
      mine = true;
      return true;
    },
    async release() {
      if (!mine) return;
      heldInProcess.get(db)?.delete(name);
      mine = false;
    },
  };
}
