import type { RecordedEvent } from "../domain/events/envelope.js";
import type { RunEventData } from "../domain/run/events.js";
import type { SqlExecutor } from "../ports/sql.js";
import type { Projection } from "./projection.js";

const runIdOf = (streamId: string) => streamId.slice("run-".length);

/**
 * td_heal_queue: heals proposed or waiting for manual review, and auto-committed heals no check has proved
 * (a proved one leaves the queue); whether they held, and their verdicts.
 */
export const healQueueProjection: Projection = {
  name: "heal_queue",
  tables: ["td_heal_queue"],
  types: ["LocatorHealed", "HealingVerified", "HealingReviewed"],
  async apply(events, tx) {
    for (const e of events) {
      if (e.type === "LocatorHealed") {
        const d = (e as RecordedEvent<string, RunEventData<"LocatorHealed">>).data;
        if (d.decision === "reject") continue;
        await tx.query(
          `INSERT INTO td_heal_queue (healing_id, run_id, step_id, decision, confidence, method, old_locator, new_locator, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9::timestamptz) ON CONFLICT (healing_id) DO NOTHING`,
          [
            d.healing_id,
            runIdOf(e.streamId),
            d.step_id,
            d.decision,
            d.confidence,
            d.method,
            JSON.stringify(d.old_locator ?? null),
            JSON.stringify(d.new_locator),
            d.at,
          ],
        );
      } else if (e.type === "HealingVerified") {
        const d = (e as RecordedEvent<string, RunEventData<"HealingVerified">>).data;
        await tx.query("UPDATE td_heal_queue SET successful = $2 WHERE healing_id = $1", [
          d.healing_id,
          d.successful,
        ]);
        // An auto-commit a check proved needs no person.
        if (d.successful)
          await tx.query("DELETE FROM td_heal_queue WHERE healing_id = $1 AND decision = 'auto_commit'", [
            d.healing_id,
          ]);
      } else {
        const d = (e as RecordedEvent<string, RunEventData<"HealingReviewed">>).data;
        await tx.query(
          "UPDATE td_heal_queue SET review = $2, reviewer = $3, reviewed_at = $4::timestamptz WHERE healing_id = $1",
          [d.healing_id, d.approved ? "approved" : "rejected", d.reviewer, d.at],
        );
      }
    }
  },
};

/** The queue, newest first: pending heals, or those with a verdict, across runs or of one run. */
export async function listHealQueue(
  db: SqlExecutor,
  filter: { review?: "pending" | "approved" | "rejected"; run_id?: string; limit: number },
) {
  const { rows } = await db.query<Record<string, unknown> & { healing_id: string; run_id: string }>(
    `SELECT * FROM td_heal_queue WHERE ($1::text IS NULL OR review = $1) AND ($2::uuid IS NULL OR run_id = $2)
      ORDER BY created_at DESC, step_id LIMIT $3`,
    [filter.review ?? null, filter.run_id ?? null, filter.limit],
  );
  return rows;
}
