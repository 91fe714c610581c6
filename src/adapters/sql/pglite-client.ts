import type { SqlClient, SqlExecutor } from "../../ports/sql.js";

/** The part of PGlite's API we use; the TimescaleDB build of PGlite has the same shape. */
export interface PGliteLike {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  exec(text: string): Promise<unknown>;
  transaction<T>(fn: (tx: PGliteTxLike) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly closed?: boolean;
}

export interface PGliteTxLike {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  exec(text: string): Promise<unknown>;
}

function executor(db: PGliteTxLike): SqlExecutor {
  return {
    async query<Row>(text: string, params?: unknown[]) {
      const result = await db.query<Row>(text, params);
      return { rows: result.rows };
    },
    async exec(text: string) {
      await db.exec(text);
    },
  };
}

export class PGliteSqlClient implements SqlClient {
  readonly dialect = "pglite" as const;
  private readonly base: SqlExecutor;

  constructor(
    readonly db: PGliteLike,
    private readonly onClose?: () => void,
  ) {
    this.base = executor(db);
  }

  query<Row = Record<string, unknown>>(text: string, params?: unknown[]) {
    return this.base.query<Row>(text, params);
  }

  exec(text: string) {
    return this.base.exec(text);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(executor(tx)));
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
    this.onClose?.();
  }
}
