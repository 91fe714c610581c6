import type { SqlExecutor } from "../ports/sql.js";

/** Each relay's checkpoint in the log and how many messages it has published, for metrics. */
export async function relayPositions(
  db: SqlExecutor,
): Promise<{ name: string; position: string; published: string | null }[]> {
  const { rows } = await db.query<{ name: string; position: string; published: string | null }>(
    `SELECT substr(c.name, 7) AS name, c.position, s.published FROM td_checkpoints c
       LEFT JOIN td_relay_stats s ON s.name = substr(c.name, 7) WHERE c.name LIKE 'relay:%' ORDER BY 1`,
  );
  return rows;
}
