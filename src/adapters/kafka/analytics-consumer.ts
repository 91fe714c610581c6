import { type Consumer, Kafka, logLevel } from "kafkajs";
import type { Logger } from "../../ports/logger.js";
import type { RelayedEvent } from "../../ports/relay.js";

export interface AnalyticsConsumerOptions {
  brokers: string[];
  topics: string[];
  groupId?: string;
  clientId?: string;
  logger?: Logger;
  /** Folds one event into the analytics; false when it had been applied already (a redelivery). */
  apply: (event: RelayedEvent) => Promise<boolean>;
}

/**
 * A consumer group that folds relayed events into the daily analytics tables. Offsets are committed after
 * an event is applied, and applying is idempotent by event id: at-least-once delivery counts each event once.
 */
export class AnalyticsConsumer {
  private readonly consumer: Consumer;
  applied = 0;
  skipped = 0;

  constructor(private readonly options: AnalyticsConsumerOptions) {
    const kafka = new Kafka({
      clientId: options.clientId ?? "testdriver-analytics",
      brokers: options.brokers,
      logLevel: logLevel.ERROR,
    });
    this.consumer = kafka.consumer({ groupId: options.groupId ?? "testdriver-analytics" });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    for (const topic of this.options.topics) await this.consumer.subscribe({ topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message, topic, partition }) => {
        let event: RelayedEvent;
        try {
          event = JSON.parse(String(message.value)) as RelayedEvent;
        } catch (error) {
          // A message that is not an event cannot become one by retrying: note it and move on.
          this.skipped++;
          this.options.logger?.warn(
            { err: error, topic, partition, offset: message.offset },
            "not an event; skipped",
          );
          return;
        }
        if (await this.options.apply(event)) this.applied++;
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
