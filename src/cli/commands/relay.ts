import type { Command } from "commander";
import { AnalyticsConsumer } from "../../adapters/kafka/analytics-consumer.js";
import { KafkaSink } from "../../adapters/kafka/kafka-sink.js";
import { applyToAnalytics, dailyAnalytics } from "../../analytics/daily.js";
import { ConfigError } from "../../config/load.js";
import { OutboxRelay } from "../../relay/relay.js";
import { loadRuntime, openStore, type Runtime } from "../../runtime.js";

function brokersOf(runtime: Runtime): string[] {
  const brokers = runtime.config.kafka.brokers;
  if (!brokers?.length)
    throw new ConfigError(["KAFKA_BROKERS is not set: give the brokers as host:port,host:port"]);
  return brokers;
}

const untilSignal = () =>
  new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });

export function registerRelay(program: Command) {
  program
    .command("relay")
    .description("publish the event log to Kafka until SIGINT/SIGTERM (at least once, in order per stream)")
    .argument("<sink>", "kafka")
    .action(async (sink: string) => {
      if (sink !== "kafka") throw new ConfigError([`unknown relay sink ${sink}; the one there is: kafka`]);
      const runtime = loadRuntime(program.opts().config);
      const brokers = brokersOf(runtime);
      const { store } = await openStore(runtime);
      const kafka = new KafkaSink({ brokers });
      const relay = new OutboxRelay(store, kafka, {
        topic: runtime.config.kafka.topic,
        topicPerStreamType: runtime.config.kafka.topicPerStreamType,
        logger: runtime.logger,
      });
      relay.start();
      runtime.logger.info({ brokers, topic: runtime.config.kafka.topic }, "relay started");
      const signal = await untilSignal();
      runtime.logger.info({ signal, ...(await relay.status()) }, "relay stopping");
      await relay.stop();
      await kafka.close();
      await store.close();
    });

  const consume = program.command("consume").description("consumers of the relayed events");
  consume
    .command("analytics")
    .description("keep daily pass rates and healing counts from the relayed events, until SIGINT/SIGTERM")
    .option("--group <id>", "consumer group", "testdriver-analytics")
    .action(async (options: { group: string }) => {
      const runtime = loadRuntime(program.opts().config);
      const brokers = brokersOf(runtime);
      const { store } = await openStore(runtime);
      const { topic, topicPerStreamType } = runtime.config.kafka;
      const consumer = new AnalyticsConsumer({
        apply: (event) => applyToAnalytics(store.db, event),
        brokers,
        groupId: options.group,
        topics: topicPerStreamType ? [`${topic}.run`] : [topic],
        logger: runtime.logger,
      });
      await consumer.start();
      await untilSignal();
      await consumer.stop();
      for (const day of await dailyAnalytics(store.db)) process.stdout.write(`${JSON.stringify(day)}\n`);
      await store.close();
    });
}
