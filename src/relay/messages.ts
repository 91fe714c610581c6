import type { RecordedEvent } from "../domain/events/envelope.js";

/** A message as the relay hands it to a sink: Kafka's shape, without Kafka. */
export interface OutgoingMessage {
  topic: string;
  /** The stream id: one stream's events go to one partition, in order. */
  key: string;
  headers: Record<string, string>;
  value: string;
  /** The event's global position, for checkpoints and tests. */
  position: number;
}

export interface TopicOptions {
  /** Default `testdriver.events`. */
  topic: string;
  /** One topic per stream type: `<topic>.<stream type>` (run, locators, ...). */
  topicPerStreamType: boolean;
}

export function toMessage(event: RecordedEvent, options: TopicOptions): OutgoingMessage {
  const headers: Record<string, string> = {
    event_id: event.eventId,
    event_type: event.type,
    schema_version: String(event.schemaVersion),
    stream_type: event.streamType,
  };
  if (typeof event.metadata.correlationId === "string") headers.correlation_id = event.metadata.correlationId;
  if (typeof event.metadata.causationId === "string") headers.causation_id = event.metadata.causationId;
  return {
    topic: options.topicPerStreamType ? `${options.topic}.${event.streamType}` : options.topic,
    key: event.streamId,
    headers,
    value: JSON.stringify(event),
    position: event.globalPosition,
  };
}

/** Where the relay publishes: Kafka in production, a recording sink in tests. */
export interface EventSink {
  /** Resolves once the broker has acknowledged every message; rejects if any was not. */
  publish(messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}
