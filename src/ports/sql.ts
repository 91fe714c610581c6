/** The least both `pg` and PGlite offer: parameterised queries and transactions. */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(
    text: string,
    params?: unknown[],
    name?: string,
  ): Promise<{ rows: Row[] }>;
  /** Runs several statements without parameters (migrations). */
  exec(text: string): Promise<void>;
}

export interface SqlClient extends SqlExecutor {
  readonly dialect: "postgres" | "pglite";
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATE of a database error, whichever driver raised it. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}
