import type { RecordedEvent } from "../domain/events/envelope.js";
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
