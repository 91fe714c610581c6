import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { type ApiHarness, apiHarness } from "../support/api.js";
import { browsersAvailable } from "../support/browsers.js";
import { readSse, type Sse } from "../support/sse.js";

const ended = (events: Sse[]) => events.some((e) => e.event === "RunCompleted");

describe.runIf(browsersAvailable)("a run's own event stream", () => {
  let api: ApiHarness;
  let demo: RunningDemo;
  let base: string;
  let viewer: Record<string, string>;
  let runner: Record<string, string>;

  const start = async (requirements: string) => {
    const res = await fetch(`${base}/api/runs`, {
      method: "POST",
      headers: { ...runner, "content-type": "application/json" },
      body: JSON.stringify({ requirements, url: demo.url }),
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { run_id: string }).run_id;
  };

  beforeAll(async () => {
    api = await apiHarness("keys");
    demo = await serveDemo(1);
    viewer = { authorization: `Bearer ${(await api.keys.create("dashboard", "viewer")).key}` };
    runner = { authorization: `Bearer ${(await api.keys.create("ci", "runner")).key}` };
    await api.app.listen({ host: "127.0.0.1", port: 0 });
    const address = api.app.server.address();
    base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    await demo?.close();
  });

  it("sends one run's events live, in order, ids its stream versions, while another run proceeds beside it", async () => {
    const one = await start("Open /login\nExpect to see Sign in to Listly");
    const other = await start("Open /login");
    // Opened while the run is just requested: what follows arrives live.
    const [mine, theirs] = await Promise.all([
      readSse(`${base}/api/runs/${one}/events/stream`, ended, viewer),
      readSse(`${base}/api/runs/${other}/events/stream`, ended, viewer),
    ]);
    expect(mine.status).toBe(200);
    expect(mine.contentType).toMatch(/^text\/event-stream/);
    expect(mine.events.map((e) => JSON.parse(e.data).streamId)).toEqual(mine.events.map(() => `run-${one}`));
    expect(theirs.events.every((e) => JSON.parse(e.data).streamId === `run-${other}`)).toBe(true);
    expect(mine.events.map((e) => Number(e.id))).toEqual(mine.events.map((_, i) => i + 1));
    expect(mine.events[0]!.event).toBe("RunRequested");
    expect(mine.events.map((e) => e.event)).toEqual(
      expect.arrayContaining(["RunStarted", "StepStarted", "StepPassed", "RunCompleted"]),
    );
    expect(JSON.parse(mine.events.at(-1)!.data).data.status).toBe("passed");

    // The global log had both runs' events: the run's stream left the other's out.
    const log = (await api.h.store.readAll({ limit: 10_000 })).events;
    const theirIds = new Set(log.filter((e) => e.streamId === `run-${other}`).map((e) => e.eventId));
    expect(theirIds.size).toBeGreaterThanOrEqual(theirs.events.length);
    expect(mine.events.filter((e) => theirIds.has(JSON.parse(e.data).eventId))).toEqual([]);

    // A reconnect with Last-Event-ID resumes after the last event seen; from_version starts anywhere.
    const n = mine.events.length;
    const resumed = await readSse(`${base}/api/runs/${one}/events/stream`, ended, {
      ...viewer,
      "last-event-id": String(n - 2),
    });
    expect(resumed.events.map((e) => Number(e.id))).toEqual([n - 1, n]);
    const from = await readSse(`${base}/api/runs/${one}/events/stream?from_version=${n}`, ended, viewer);
    expect(from.events.map((e) => e.event)).toEqual(["RunCompleted"]);
  }, 120_000);

  it("answers 404 for a run that does not exist and 401 without a key", async () => {
    const nobody = "3f1c9a52-6a8e-4d47-9e1a-2b7c5d9e0f11";
    const missing = await fetch(`${base}/api/runs/${nobody}/events/stream`, { headers: viewer });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe("no_run");
    expect((await fetch(`${base}/api/runs/${nobody}/events/stream`)).status).toBe(401);
  });
});
