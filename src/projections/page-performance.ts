import type { SqlExecutor } from "../ports/sql.js";

/** Per page, the average of each measured vital over the loads since a time (from td_metrics). */
export async function pagePerformance(db: SqlExecutor, since: Date) {
  const { rows } = await db.query<{ page: string; name: string; loads: number; avg: number }>(
    `SELECT labels->>'page' AS page, substr(name, 6) AS name, count(*)::int AS loads, avg(value)::float AS avg
       FROM td_metrics WHERE name LIKE 'page\\_%' AND time >= $1 GROUP BY 1, 2 ORDER BY 1, 2`,
    [since.toISOString()],
  );
  const pages = new Map<string, Record<string, number>>();
  for (const r of rows) {
    const entry = pages.get(r.page) ?? { loads: 0 };
    entry[r.name] = Math.round(r.avg * 1000) / 1000;
    entry.loads = Math.max(entry.loads!, r.loads);
    pages.set(r.page, entry);
  }
  return [...pages].map(([page, metrics]) => ({ page, ...metrics }));
}
