import { describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { CommandHandler } from "../../src/commands/handler.js";
import { EventRegistry } from "../../src/domain/events/registry.js";
import { counted } from "../support/databases.js";

type Event = { type: "Counted"; data: { writer: number; n: number } };
type State = { version: number; total: number; closed: boolean };
type Command = { type: "Add"; writer: number; n: number; max?: number };

const counter = {
  initial: (): State => ({ version: 0, total: 0, closed: false }),
  evolve: (s: State, e: Event): State => ({
    version: s.version + 1,
    total: s.total + e.data.n,
    closed: s.total + e.data.n >= 100,
  }),
  decide: (c: Command, s: State): Event[] => {
    if (s.closed) throw new Error("the counter is full");
    return [{ type: "Counted", data: { writer: c.writer, n: c.n } }];
  },
  versionOf: (s: State) => s.version,
};

describe("the command handler", () => {
  it("loads, decides and appends with the version it read; two handlers on one stream both land", async () => {
    const { store } = await openEventStore({ kind: "pglite" }, new EventRegistry([counted]));
    try {
      const a = new CommandHandler<State, Command, Event>(store, counter);
      const b = new CommandHandler<State, Command, Event>(store, counter);
      await a.handle("count-1", { type: "Add", writer: 1, n: 10 });
      // b has never seen the stream; a's cache is current. Then b writes behind a's back.
      await b.handle("count-1", { type: "Add", writer: 2, n: 20 });
      // a decides on its stale cache, its append is refused, it reads what it missed, and lands.
      const result = await a.handle("count-1", { type: "Add", writer: 1, n: 5 });
      expect(result.state).toMatchObject({ version: 3, total: 35 });
      expect((await store.readStream("count-1")).map((e) => (e.data as { n: number }).n)).toEqual([
        10, 20, 5,
      ]);
    } finally {
      await store.close();
    }
  });

  it("re-checks a refusal made on a stale cache against a fresh read", async () => {
    const { store } = await openEventStore({ kind: "pglite" }, new EventRegistry([counted]));
    try {
      const a = new CommandHandler<State, Command, Event>(store, counter);
      await a.handle("count-2", { type: "Add", writer: 1, n: 100 });
      await expect(a.handle("count-2", { type: "Add", writer: 1, n: 1 })).rejects.toThrow(
        "the counter is full",
      );
      expect((await store.readStream("count-2")).length).toBe(1);
    } finally {
      await store.close();
    }
  });
});
