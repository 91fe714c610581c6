import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { describeListener } from "../../src/adapters/sql/probe.js";
import { createEventRegistry } from "../../src/domain/catalog.js";

/** Start-up against a DATABASE_URL that is not PostgreSQL: it fails within the timeout, saying what answered. */
describe("connecting to a database that is not PostgreSQL", () => {
  let silent: Server;
  const held = new Set<Socket>();
  let silentPort = 0;

  beforeAll(async () => {
    // Takes connections and never says a word.
    silent = createServer((socket) => {
      held.add(socket);
      socket.on("error", () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of held) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  const open = (port: number) =>
    openEventStore(
      {
        kind: "postgres",
        connectionString: `postgres://postgres@127.0.0.1:${port}/test`,
        connectTimeoutMs: 300,
      },
      createEventRegistry(),
    );

  it("gives up on a listener that never answers", async () => {
    await expect(open(silentPort)).rejects.toThrow(
      new RegExp(
        `cannot connect to PostgreSQL at .*127\\.0\\.0\\.1:${silentPort}.*accepted the connection but said nothing`,
      ),
    );
  });

  it("names what answered instead (Redis on this machine, which stays silent to PostgreSQL's opening)", async () => {
    const what = await describeListener("postgres://127.0.0.1:6379/x", 1000);
    // Redis runs on these machines; elsewhere nothing may listen there, which is said too.
    expect(what).toMatch(
      /127\.0\.0\.1:6379 (is not PostgreSQL|accepted the connection but said nothing .*: not PostgreSQL)|nothing listens at 127\.0\.0\.1:6379/,
    );
    if (!what.startsWith("nothing")) await expect(open(6379)).rejects.toThrow(/6379.*not PostgreSQL/);
  });

  it("recognises PostgreSQL itself, and says when nothing listens", async () => {
    const url = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
    expect(await describeListener(url, 1000)).toMatch(/PostgreSQL answers at|nothing listens/);
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", () => resolve()));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await describeListener(`postgres://127.0.0.1:${port}/x`, 1000)).toBe(
      `nothing listens at 127.0.0.1:${port}`,
    );
  });
});
