import type { RecordedEvent } from "../domain/events/envelope.js";
import type { SqlExecutor } from "../ports/sql.js";
import type { Projection } from "./projection.js";

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The spec's measurements (§4.3) that one event gives, without reading anything else. */
function samplesOf(e: RecordedEvent<string, Record<string, unknown>>): Sample[] {
  const d = e.data;
  switch (e.type) {
    case "RunCompleted": {
      const ran = Number(d.passed) + Number(d.failed);
      return [
        { name: "run_duration_ms", labels: { status: String(d.status) }, value: Number(d.duration_ms) },
        { name: "run_pass_rate", labels: {}, value: ran === 0 ? 0 : Number(d.passed) / ran },
        { name: "steps_healed", labels: {}, value: Number(d.healed) },
      ];
    }
    case "StepPassed":
    case "StepFailed":
      return [
        {
          name: "step_duration_ms",
          labels: { status: e.type === "StepPassed" ? "passed" : "failed" },
          value: Number(d.duration_ms),
        },
      ];
    case "WaitObserved":
      return [
        {
          name: "wait_ms",
          labels: { wait: String(d.wait), success: String(d.success) },
          value: Number(d.duration_ms),
        },
      ];
    case "LocatorHealed":
      return [
        {
          name: "healing_confidence",
          labels: { method: String(d.method), decision: String(d.decision) },
          value: Number(d.confidence),
        },
      ];
    case "PerformanceMeasured": {
      const m = d.metrics as Record<string, number | null>;
      const page = { page: String(d.page) };
      return (["ttfb_ms", "fcp_ms", "lcp_ms", "cls", "tbt_ms", "tti_ms", "transfer_bytes"] as const).flatMap(
        (name) =>
          m[name] === null || m[name] === undefined
            ? []
            : [{ name: `page_${name}`, labels: page, value: Number(m[name]) }],
      );
    }
    case "HealingAttempted":
      return [{ name: "healing_attempt", labels: { role: String(d.role) }, value: Number(d.candidates) }];
    case "HealingVerified":
      return [{ name: "healing_successful", labels: {}, value: d.successful ? 1 : 0 }];
    default:
      return [];
  }
}

/**
 * td_metrics: measurements over time, stamped with the event's time (a hypertable with hourly continuous
 * aggregates on TimescaleDB, a BRIN-indexed table and a view elsewhere).
 */
export const metricsProjection: Projection = {
  name: "metrics",
  tables: ["td_metrics"],
  types: [
    "RunCompleted",
    "StepPassed",
    "StepFailed",
    "WaitObserved",
    "HealingAttempted",
    "PerformanceMeasured",
    "LocatorHealed",
    "HealingVerified",
  ],
  async apply(events, tx) {
    const rows = (events as RecordedEvent<string, Record<string, unknown>>[]).flatMap((e) =>
      samplesOf(e).map((s) => ({ ...s, time: e.recordedAt.toISOString() })),
    );
    if (rows.length === 0) return;
    // One statement per batch: a run's hundreds of samples cost one round trip.
    await tx.query(
      `INSERT INTO td_metrics (time, name, labels, value)
       SELECT t, n, l::jsonb, v FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::float8[]) AS u(t, n, l, v)`,
      [
        rows.map((r) => r.time),
        rows.map((r) => r.name),
        rows.map((r) => JSON.stringify(r.labels)),
        rows.map((r) => r.value),
      ],
    );
  },
};

/** Heal attempts and heals that held, over all time: the service's Prometheus counters. */
export async function healingTotals(db: SqlExecutor): Promise<{ attempts: number; successful: number }> {
  const { rows } = await db.query<{ attempts: number; successful: number }>(
    `SELECT coalesce(sum(CASE WHEN name = 'healing_attempt' THEN 1 END), 0)::int AS attempts,
            coalesce(sum(CASE WHEN name = 'healing_successful' THEN value END), 0)::int AS successful
       FROM td_metrics WHERE name IN ('healing_attempt', 'healing_successful')`,
  );
  return rows[0] ?? { attempts: 0, successful: 0 };
}

/** Step times since a moment: how many, their mean and 95th percentile. */
export async function stepTimesSince(db: SqlExecutor, since: Date) {
  const { rows } = await db.query<{ steps: number; avg_step_ms: number; p95_step_ms: number }>(
    `SELECT count(*)::int AS steps, coalesce(avg(value), 0)::float AS avg_step_ms,
            coalesce(percentile_cont(0.95) WITHIN GROUP (ORDER BY value), 0)::float AS p95_step_ms
       FROM td_metrics WHERE name = 'step_duration_ms' AND time >= $1::timestamptz`,
    [since.toISOString()],
  );
  return rows[0]!;
}

/** Heal attempts since a moment and how many of them held. */
export async function healsSince(db: SqlExecutor, since: Date) {
  const { rows } = await db.query<{ healing_attempts: number; heals_held: number }>(
    `SELECT count(*) FILTER (WHERE name = 'healing_attempt')::int AS healing_attempts,
            coalesce(sum(value) FILTER (WHERE name = 'healing_successful'), 0)::int AS heals_held
       FROM td_metrics WHERE time >= $1::timestamptz`,
    [since.toISOString()],
  );
  return rows[0]!;
}

/** One metric's hourly roll-up (samples, mean, min, max per label set), from a moment on. */
export async function hourlyMetric(db: SqlExecutor, name: string, since?: string) {
  const { rows } = await db.query(
    `SELECT bucket, labels, samples::int AS samples, avg, min, max FROM td_metrics_hourly
      WHERE name = $1 AND ($2::timestamptz IS NULL OR bucket >= $2) ORDER BY bucket, labels::text`,
    [name, since ?? null],
  );
  return rows;
}
