import { CompressionTypes, Kafka, logLevel, type Producer } from "kafkajs";
import type { EventSink, OutgoingMessage } from "../../ports/relay.js";

export interface KafkaSinkOptions {
  brokers: string[];
  clientId?: string;
  /** Longest one batch may wait for acknowledgement. */
  timeoutMs?: number;
}

/**
 * Publishes through an idempotent kafkajs producer (acks from all in-sync replicas, one request in flight
 * per connection, so retries keep each partition in order and do not duplicate).
 */
export class KafkaSink implements EventSink {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(private readonly options: KafkaSinkOptions) {
    const kafka = new Kafka({
      clientId: options.clientId ?? "testdriver-relay",
      brokers: options.brokers,
      logLevel: logLevel.ERROR,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 10_000 },
    });
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: true,
    });
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    await this.producer.sendBatch({
      acks: -1,
      timeout: this.options.timeoutMs ?? 30_000,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, batch]) => ({
        topic,
        messages: batch.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}
