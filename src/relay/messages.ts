import type { RecordedEvent } from "../domain/events/envelope.js";
import type { OutgoingMessage } from "../ports/relay.js";

export type { EventSink, OutgoingMessage } from "../ports/relay.js";

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
