import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withSearchPath } from "../../src/adapters/eventstore/open.js";
import { DEMO_PASSWORD, type RunningDemo, serveDemo } from "../../src/demo/app.js";
import type { TestPlan } from "../../src/domain/plan/model.js";
import { browsersAvailable } from "../support/browsers.js";
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from "../support/databases.js";
import { demoPlan } from "../support/engine.js";

const CLI = join(import.meta.dirname, "../../src/cli/main.ts");

/** A `testdriver serve` replica (with its worker) on the shared database and artifact directory. */
async function replica(databaseUrl: string, dataDir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "serve", "--port", "0"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATABASE_URL: databaseUrl,
      TESTDRIVER_DATA_DIR: dataDir,
      TESTDRIVER_LOG_LEVEL: "warn",
      APP_PASSWORD: DEMO_PASSWORD,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  for await (const line of createInterface({ input: child.stdout! })) {
    const url = /^testdriver (http:\/\/\S+) /.exec(line)?.[1];
    if (url)
      return {
        url,
        pid: child.pid!,
        stop: async () => {
          child.kill("SIGTERM");
          return exited;
        },
      };
  }
  throw new Error("replica exited before listening");
}

// biome-ignore lint/suspicious/noExplicitAny: API answers are read field by field in the assertions
type Json = Record<string, any>;
const post = async (url: string, body: unknown) => {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
};
const get = async (url: string) => (await (await fetch(url)).json()) as Json;

function envPlan(url: string): TestPlan {
  const plan = demoPlan(url, "replicas-http");
  const steps = plan.test_steps.map((s, i) =>
    i === 2 ? { ...s, params: { ...s.params, text: "${env:APP_PASSWORD}", secret: undefined } } : s,
  );
  return { ...plan, test_steps: steps as TestPlan["test_steps"] };
}

describe.runIf(postgresAvailable && browsersAvailable)(
  "requests to the replica that does not hold a run",
  () => {
    const schema = uniqueSchema("replhttp");
    let demo: RunningDemo;
    let replicas: Awaited<ReturnType<typeof replica>>[] = [];

    beforeAll(async () => {
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.end();
      demo = await serveDemo(1);
      const dataDir = mkdtempSync(join(tmpdir(), "td-replhttp-"));
      const url = withSearchPath(TEST_DATABASE_URL, schema);
      replicas = await Promise.all([replica(url, dataDir), replica(url, dataDir)]);
    }, 120_000);
    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.stop()));
      await demo?.close();
      await dropSchema(schema);
    });

    it("are carried out by the holder: a resume is refused while it runs, a stop saves its state, and the run resumed elsewhere passes", async () => {
      const started = await post(`${replicas[0]!.url}/api/runs`, { plan: envPlan(demo.url) });
      expect(started.status).toBe(202);
      const runId = started.body.run_id as string;
      // Wait until a worker holds the run and a first step has passed.
      let run: Json;
      do {
        run = await get(`${replicas[0]!.url}/api/runs/${runId}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      } while (!(run.queue?.status === "claimed" && run.steps.passed >= 1));
      const holderPid = Number(String(run.queue.worker).split(":")[1]);
      const other = replicas.find((r) => r.pid !== holderPid)!;
      expect(replicas.map((r) => r.pid)).toContain(holderPid);

      const refused = await post(`${other.url}/api/runs/${runId}/resume`, {});
      expect(refused.status).toBe(409);
      expect(refused.body.message ?? JSON.stringify(refused.body)).toMatch(/held by worker/);

      const stopped = await post(`${other.url}/api/runs/${runId}/stop`, { wait: true, reason: "moving it" });
      expect(stopped.status).toBe(200);
      expect(stopped.body.status).toBe("stopped");
      // Stopped after the step that was running when the request came, not at the end.
      expect(stopped.body.steps.passed).toBeLessThan(13);

      const resumed = await post(`${other.url}/api/runs/${runId}/resume`, { wait: true });
      expect(resumed.status).toBe(200);
      expect(resumed.body.status).toBe("passed");
      const { events } = await get(`${other.url}/api/runs/${runId}/events?limit=1000`);
      const types = events.map((e: Json) => e.type);
      // The holder recorded the stop with its snapshot; nothing ended the run in error along the way.
      const stop = events.find((e: Json) => e.type === "RunStopped").data;
      expect(stop).toMatchObject({ resumable: true, reason: "moving it" });
      expect(stop.snapshot_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(types.filter((t: string) => t === "RunCompleted")).toHaveLength(1);
      const passed = events.filter((e: Json) => e.type === "StepPassed").map((e: Json) => e.data.index);
      expect(new Set(passed).size).toBe(passed.length);
    }, 240_000);
  },
);
