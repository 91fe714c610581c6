import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { vector } from "@electric-sql/pglite/vector";
import type { EventRegistry } from "../../domain/events/registry.js";
import type { SqlClient } from "../../ports/sql.js";
import { type MigrationReport, migrate } from "../sql/migrate.js";
import { PgSqlClient } from "../sql/pg-client.js";
import { type PGliteLike, PGliteSqlClient } from "../sql/pglite-client.js";
import { DirectoryLock } from "./dir-lock.js";
import { InProcessNotifier, PgListenNotifier } from "./notifier.js";
import { SqlEventStore } from "./sql-event-store.js";

export interface PGliteOpenOptions {
  /** Where the database lives; omitted, it lives in memory only. */
  dataDir?: string;
  /** Another PGlite build (e.g. one with TimescaleDB); it gets the data directory and returns the instance. */
  create?: (dataDir: string | undefined) => Promise<PGliteLike>;
}

/** Opens the embedded database, holding an exclusive lock on its directory for as long as it is open. */
export async function openPGlite(options: PGliteOpenOptions = {}): Promise<SqlClient> {
  let lock: DirectoryLock | undefined;
  let pgdata: string | undefined;
  if (options.dataDir) {
    const dir = resolve(options.dataDir);
    mkdirSync(dir, { recursive: true });
    pgdata = join(dir, "pgdata");
    lock = DirectoryLock.acquire(join(dir, "pgdata.lock"));
  }
  try {
    const db = options.create
      ? await options.create(pgdata)
      : ((await PGlite.create(pgdata ?? "memory://", { extensions: { vector } })) as unknown as PGliteLike);
    return new PGliteSqlClient(db, () => lock?.release());
  } catch (error) {
    lock?.release();
    throw error;
  }
}

export interface PostgresOpenOptions {
  connectionString: string;
  /** A schema of its own (created if missing); tests use one each. */
  schema?: string;
  poolSize?: number;
  idleInTransactionTimeoutMs?: number;
  /** A connection that does not become a PostgreSQL session within this fails, saying what answered. */
  connectTimeoutMs?: number;
}

export async function openPostgres(options: PostgresOpenOptions): Promise<PgSqlClient> {
  const connectionString = options.schema
    ? withSearchPath(options.connectionString, options.schema)
    : options.connectionString;
  if (options.schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new TypeError(`bad schema name: ${options.schema}`);
    const setup = new PgSqlClient({
      connectionString: options.connectionString,
      max: 1,
      connectTimeoutMs: options.connectTimeoutMs,
    });
    try {
      await setup.exec(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    } finally {
      await setup.close();
    }
  }
  const client = new PgSqlClient({
    connectionString,
    max: options.poolSize,
    idleInTransactionTimeoutMs: options.idleInTransactionTimeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
  });
  try {
    await client.query("SELECT 1");
  } catch (error) {
    await client.close();
    throw new Error(
      `cannot connect to PostgreSQL at ${redact(options.connectionString)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return client;
}

/** The connection string with a search_path option, so every session of a pool works in one schema. */
export function withSearchPath(connectionString: string, schema: string): string {
  const url = new URL(connectionString);
  url.searchParams.set("options", `-c search_path=${schema},public`);
  return url.toString();
}

export function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "<unparseable URL>";
  }
}

export type StoreConfig =
  | { kind: "pglite"; dataDir?: string; create?: PGliteOpenOptions["create"] }
  | {
      kind: "postgres";
      connectionString: string;
      schema?: string;
      poolSize?: number;
      connectTimeoutMs?: number;
    };

export interface OpenedStore {
  store: SqlEventStore;
  migrations: MigrationReport;
}

/** Opens the configured database, brings its schema up to date, and returns the event store on it. */
export async function openEventStore(
  config: StoreConfig,
  registry: EventRegistry,
  options: { migrate?: boolean; pollIntervalMs?: number } = {},
): Promise<OpenedStore> {
  const db =
    config.kind === "pglite"
      ? await openPGlite({ dataDir: config.dataDir, create: config.create })
      : await openPostgres(config);
  try {
    const migrations =
      options.migrate === false ? { applied: [], alreadyApplied: [], extensions: [] } : await migrate(db);
    const notifier =
      config.kind === "postgres"
        ? new PgListenNotifier((db as PgSqlClient).options.connectionString, (sql) => db.exec(sql))
        : new InProcessNotifier();
    const store = new SqlEventStore({ db, registry, notifier, pollIntervalMs: options.pollIntervalMs });
    return { store, migrations };
  } catch (error) {
    await db.close();
    throw error;
  }
}
