import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

describe("deploy/compose.integration.yaml", () => {
  it("starts the brokers the optional suites expect, on the ports their variables name", () => {
    const doc = parse(
      readFileSync(join(import.meta.dirname, "../../deploy/compose.integration.yaml"), "utf8"),
    );
    expect(Object.keys(doc.services).sort()).toEqual(["eventstoredb", "kafka"]);
    expect(doc.services.kafka.ports).toContain("9092:9092");
    expect(doc.services.kafka.environment.KAFKA_ADVERTISED_LISTENERS).toBe("PLAINTEXT://127.0.0.1:9092");
    expect(doc.services.eventstoredb.ports).toContain("2113:2113");
    expect(doc.services.eventstoredb.environment.EVENTSTORE_INSECURE).toBe("true");
  });
});
