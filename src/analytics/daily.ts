import type { RelayedEvent } from "../ports/relay.js";
import type { SqlClient } from "../ports/sql.js";

export type { RelayedEvent } from "../ports/relay.js";

const COUNTED = new Set(["RunCompleted", "LocatorHealed", "HealingVerified"]);

/** Daily pass rates and healing counts; applying an event twice (a redelivery) changes nothing. */
export async function applyToAnalytics(db: SqlClient, event: RelayedEvent): Promise<boolean> {
  if (!COUNTED.has(event.type)) return false;
  const day = new Date(event.recordedAt).toISOString().slice(0, 10);
  const d = event.data;
  const add = {
    runs_finished: event.type === "RunCompleted" ? 1 : 0,
    runs_passed: event.type === "RunCompleted" && d.status === "passed" ? 1 : 0,
    runs_failed: event.type === "RunCompleted" && d.status !== "passed" ? 1 : 0,
    heals: event.type === "LocatorHealed" ? 1 : 0,
    heals_held: event.type === "HealingVerified" && d.successful === true ? 1 : 0,
  };
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(
      "INSERT INTO td_analytics_applied (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING event_id",
      [event.eventId],
    );
    if (rows.length === 0) return false;
    await tx.query(
      `INSERT INTO td_analytics_daily AS a (day, runs_finished, runs_passed, runs_failed, heals, heals_held)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (day) DO UPDATE SET runs_finished = a.runs_finished + EXCLUDED.runs_finished,
         runs_passed = a.runs_passed + EXCLUDED.runs_passed, runs_failed = a.runs_failed + EXCLUDED.runs_failed,
         heals = a.heals + EXCLUDED.heals, heals_held = a.heals_held + EXCLUDED.heals_held`,
      [day, add.runs_finished, add.runs_passed, add.runs_failed, add.heals, add.heals_held],
    );
    return true;
  });
}

export async function dailyAnalytics(db: SqlClient) {
  const { rows } = await db.query<{
    day: string;
    runs_finished: number;
    runs_passed: number;
    runs_failed: number;
    heals: number;
    heals_held: number;
  }>(
    "SELECT to_char(day, 'YYYY-MM-DD') AS day, runs_finished, runs_passed, runs_failed, heals, heals_held FROM td_analytics_daily ORDER BY day",
  );
  return rows.map((r) => ({
    ...r,
    pass_rate: r.runs_finished ? r.runs_passed / r.runs_finished : null,
  }));
}
