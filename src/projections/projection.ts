import type { RecordedEvent } from "../domain/events/envelope.js";
import type { SqlExecutor } from "../ports/sql.js";

/**
 * A read model built only from the log. `apply` writes a batch of events inside the runner's transaction,
 * the same one that moves the projection's checkpoint, so a crash never applies an event twice or skips one.
 */
export interface Projection {
  name: string;
  /** Tables the projection owns: emptied when it is rebuilt. */
  tables: string[];
  /** Event types it reads; others are skipped without a call. */
  types?: string[];
  apply(events: RecordedEvent[], tx: SqlExecutor, context: ProjectionContext): Promise<void>;
}

export interface ProjectionContext {
  /** A stream's events up to a global position: for projections that fold whole aggregates. */
  readStreamUpTo(streamId: string, position: number): Promise<RecordedEvent[]>;
}
