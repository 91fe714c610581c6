import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { AnalyticsConsumer } from "../../src/adapters/kafka/analytics-consumer.js";
import { KafkaSink } from "../../src/adapters/kafka/kafka-sink.js";
import { applyToAnalytics, dailyAnalytics } from "../../src/analytics/daily.js";
import { OutboxRelay } from "../../src/relay/relay.js";
import { testRegistry } from "../support/databases.js";

// Runs against a real broker when KAFKA_BROKERS is set (deploy/compose.yaml starts one); none runs here.
const brokers = process.env.KAFKA_BROKERS?.split(",").filter(Boolean) ?? [];

describe.runIf(brokers.length > 0)("the relay and the analytics consumer against Kafka", () => {
  it("publishes the log to a topic, keyed by stream, and reads it back in order per stream", async () => {
    const topic = `testdriver-it-${randomUUID()}`;
    const { store } = await openEventStore({ kind: "pglite" }, testRegistry());
    const sink = new KafkaSink({ brokers });
    try {
      for (let i = 0; i < 20; i++)
        await store.append(
          `thing-${i % 3}`,
          [{ type: "ThingHappened", data: { name: `n${i}`, count: i, tags: [] } }],
          {
            streamType: "thing",
          },
        );
      const relay = new OutboxRelay(store, sink, { topic });
      expect(await relay.drain()).toBe(20);
      await relay.stop();

      const kafka = new Kafka({ brokers, logLevel: logLevel.ERROR });
      const consumer = kafka.consumer({ groupId: `it-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const seen: { key: string; count: number; type: string }[] = [];
      await new Promise<void>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) => {
            const event = JSON.parse(String(message.value));
            seen.push({
              key: String(message.key),
              count: event.data.count,
              type: String(message.headers?.event_type),
            });
            if (seen.length === 20) resolve();
          },
        });
      });
      await consumer.disconnect();
      for (let s = 0; s < 3; s++) {
        const counts = seen.filter((m) => m.key === `thing-${s}`).map((m) => m.count);
        expect(counts).toEqual([...counts].sort((a, b) => a - b));
      }
      expect(seen.every((m) => m.type === "ThingHappened")).toBe(true);
    } finally {
      await sink.close();
      await store.close();
    }
  }, 120_000);

  it("counts relayed run completions in the daily analytics once, through a consumer group", async () => {
    const topic = `testdriver-it-${randomUUID()}`;
    const { store } = await openEventStore({ kind: "pglite" }, testRegistry());
    const sink = new KafkaSink({ brokers });
    const at = new Date().toISOString();
    const event = { eventId: randomUUID(), type: "RunCompleted", recordedAt: at, data: { status: "passed" } };
    await sink.publish([
      { topic, key: "run-1", headers: {}, value: JSON.stringify(event), position: 1 },
      // A redelivery of the same event.
      { topic, key: "run-1", headers: {}, value: JSON.stringify(event), position: 1 },
    ]);
    const consumer = new AnalyticsConsumer({
      apply: (event) => applyToAnalytics(store.db, event),
      brokers,
      topics: [topic],
      groupId: `it-${randomUUID()}`,
    });
    await consumer.start();
    while (consumer.applied + consumer.skipped < 1 || (await dailyAnalytics(store.db)).length === 0)
      await new Promise((r) => setTimeout(r, 200));
    await consumer.stop();
    expect((await dailyAnalytics(store.db))[0]).toMatchObject({ runs_finished: 1, runs_passed: 1 });
    await sink.close();
    await store.close();
  }, 120_000);
});
