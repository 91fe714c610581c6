/** Who and why, carried with every event so that a chain of causes can be followed across streams. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  actor?: string;
  tenant?: string;
  [key: string]: unknown;
}

/** An event as a caller proposes it: the store assigns ids it lacks, positions and time. */
export interface NewEvent<Type extends string = string, Data = unknown> {
  eventId?: string;
  type: Type;
  data: Data;
  metadata?: EventMetadata;
}

/** An event as it stands in the log. */
export interface RecordedEvent<Type extends string = string, Data = unknown> {
  eventId: string;
  streamId: string;
  streamType: string;
  /** 1 for a stream's first event, counting up without gaps. */
  streamVersion: number;
  /** Position in the global log; increases in commit-visible order, may have gaps. */
  globalPosition: number;
  type: Type;
  schemaVersion: number;
  data: Data;
  metadata: EventMetadata;
  recordedAt: Date;
}
