import pg from "pg";
import type { SqlClient, SqlExecutor } from "../../ports/sql.js";
import { describeListener } from "./probe.js";

// int8 as a JS number: positions and versions stay far below 2^53, and numbers keep the API simple.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export interface PgClientOptions {
  connectionString: string;
  max?: number;
  /** A write transaction left open holds every log reader back; the server ends such sessions. */
  idleInTransactionTimeoutMs?: number;
  applicationName?: string;
  /** How long a new connection may take before it fails (a listener that is not PostgreSQL never answers). */
  connectTimeoutMs?: number;
}

/** pg's words for a connection that did not become a PostgreSQL session. */
const NOT_CONNECTED =
  /timeout exceeded when trying to connect|Connection terminated|connection timeout|unexpected message|ECONNRESET/i;

function executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async query<Row>(text: string, params?: unknown[], name?: string) {
      const result = await client.query(name ? { name, text, values: params } : { text, values: params });
      return { rows: result.rows as Row[] };
    },
    async exec(text: string) {
      await client.query(text);
    },
  };
}

export class PgSqlClient implements SqlClient {
  readonly dialect = "postgres" as const;
  readonly pool: pg.Pool;
  private readonly base: SqlExecutor;

  constructor(readonly options: PgClientOptions) {
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      application_name: options.applicationName ?? "testdriver",
      idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs ?? 60_000,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    });
    // An idle pooled connection that the server drops must not crash the process.
    this.pool.on("error", () => {});
    this.base = executor(this.pool);
  }

  query<Row = Record<string, unknown>>(text: string, params?: unknown[], name?: string) {
    return this.base.query<Row>(text, params, name).catch((error: Error) => this.explain(error));
  }

  /** A connection that timed out or was cut: say what listens at the address instead. */
  private async explain(error: Error): Promise<never> {
    if (!NOT_CONNECTED.test(error.message)) throw error;
    const what = await describeListener(
      this.options.connectionString,
      Math.min(this.options.connectTimeoutMs ?? 10_000, 3000),
    );
    throw new Error(`${error.message} (${what})`, { cause: error });
  }

  exec(text: string) {
    return this.base.exec(text);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(executor(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
