import type { EventMetadata, RecordedEvent } from "../../domain/events/envelope.js";
import type { EventRegistry } from "../../domain/events/registry.js";
import { type AppendOptions, ConcurrencyError, IdempotencyConflictError } from "../../domain/events/store.js";
import { sqlState } from "../../ports/sql.js";

/** How the SQL store's rows and errors become the log's events and errors. */

// Time as epoch milliseconds: parsing timestamptz text into a Date costs more than the rest of a row.
export const COLUMNS =
  "global_position, event_id, stream_id, stream_type, stream_version, type, schema_version, data, metadata, " +
  "(extract(epoch FROM recorded_at) * 1000)::float8 AS recorded_ms";
// Only events of transactions older than every transaction still running: see td_append in 001_event_store.sql.
export const VISIBLE = "transaction_id < pg_snapshot_xmin(pg_current_snapshot())";

export interface EventRow {
  global_position: number;
  event_id: string;
  stream_id: string;
  stream_type: string;
  stream_version: number;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_ms: number;
}

/** A stored row as an event of the current schema (older versions upcast, with the row's time at hand). */
export function recordedOf(registry: EventRegistry, row: EventRow): RecordedEvent {
  const { data, schemaVersion } = registry.upcast(row.type, row.schema_version, row.data, {
    recordedAt: new Date(row.recorded_ms),
  });
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    streamType: row.stream_type,
    streamVersion: Number(row.stream_version),
    globalPosition: Number(row.global_position),
    type: row.type,
    schemaVersion,
    data,
    metadata: row.metadata,
    recordedAt: new Date(row.recorded_ms),
  };
}

/** The database's refusal of an append as the log's error: a conflict, a reused id, or a misuse. */
export function translateAppendError(
  error: unknown,
  streamId: string,
  expected: AppendOptions["expectedVersion"],
  ids: string[],
) {
  const code = sqlState(error);
  const detail = (error as { detail?: string }).detail ?? "";
  if (code === "TD409") return new ConcurrencyError(streamId, expected ?? "any", Number(detail));
  if (code === "TD422") return new IdempotencyConflictError(streamId, ids, detail);
  if (code === "23505" && /event_id/.test(String((error as { constraint?: string }).constraint ?? detail))) {
    return new IdempotencyConflictError(streamId, ids, "an id is stored in another stream");
  }
  if (code === "TD400") {
    return new Error("append must be the first write of its transaction: append before writing read models", {
      cause: error,
    });
  }
  return error;
}
