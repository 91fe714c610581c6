/** What the relay hands to a broker, and what consumers read back. */

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

/** Where the relay publishes: Kafka in production, a recording sink in tests. */
export interface EventSink {
  /** Resolves once the broker has acknowledged every message; rejects if any was not. */
  publish(messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

/** The fields of a relayed event the analytics read (the value of a relay message, parsed). */
export interface RelayedEvent {
  eventId: string;
  type: string;
  recordedAt: string;
  data: Record<string, unknown>;
}
