import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { FsBlobStore } from "../../src/adapters/blobs/fs-blob-store.js";
import { PlaywrightDriver } from "../../src/adapters/browser/playwright.js";
import { BrowserPool, type BrowserPoolOptions } from "../../src/adapters/browser/pool.js";
import { WebdriverIODriver } from "../../src/adapters/browser/webdriverio.js";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import type { SqlEventStore } from "../../src/adapters/eventstore/sql-event-store.js";
import { SnapshotStore } from "../../src/adapters/snapshots/snapshot-store.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import type { RecordedEvent } from "../../src/domain/events/envelope.js";
import type { TestPlan } from "../../src/domain/plan/model.js";
import { parsePlan } from "../../src/domain/plan/parse.js";
import { runStreamId } from "../../src/domain/run/events.js";
import { type EngineOptions, TestEngine } from "../../src/engine/engine.js";
import { chromiumOptions } from "./browsers.js";

export const DEMO_PLAN_TEXT = readFileSync(join(import.meta.dirname, "../../demo/todo-plan.yaml"), "utf8");

export function demoPlan(url: string, planId?: string): TestPlan {
  const plan = parsePlan(DEMO_PLAN_TEXT, "todo-plan.yaml");
  return { ...plan, application_url: url, ...(planId ? { plan_id: planId } : {}) };
}

export interface Harness {
  store: SqlEventStore;
  pool: BrowserPool;
  blobs: FsBlobStore;
  snapshots: SnapshotStore;
  engine: (options?: Partial<EngineOptions>) => TestEngine;
  runEvents: (runId: string) => Promise<RecordedEvent[]>;
  close: () => Promise<void>;
}

/** An engine on a fresh embedded store, with both drivers, for engine tests. */
export async function harness(dataDir?: string, network?: BrowserPoolOptions["network"]): Promise<Harness> {
  const { store } = await openEventStore({ kind: "pglite", dataDir }, createEventRegistry());
  const pool = new BrowserPool({
    drivers: {
      playwright: () => new PlaywrightDriver(chromiumOptions),
      webdriverio: () => new WebdriverIODriver(chromiumOptions),
    },
    maxConcurrentSessions: 3,
    ...(network ? { network } : {}),
  });
  // Like the CLI: artifacts live beside the database, so another process over the same directory finds them.
  const blobs = new FsBlobStore(
    dataDir ? join(dataDir, "blobs") : mkdtempSync(join(tmpdir(), "td-engine-blobs-")),
  );
  const snapshots = new SnapshotStore(blobs);
  return {
    store,
    pool,
    blobs,
    snapshots,
    engine: (options = {}) =>
      // Generous: these tests are about behaviour, and CI machines can be slow. Tests that expect a check to
      // fail set a short timeout themselves.
      new TestEngine({ store, pool, blobs, snapshots, stepTimeoutMs: 15_000, ...options }),
    runEvents: (runId) => store.readStream(runStreamId(runId)),
    close: async () => {
      await pool.close();
      await store.close();
    },
  };
}

/** A real pino logger whose JSON lines the test can read. */
export function capturedLogger() {
  const chunks: string[] = [];
  const logger = pino(
    { level: "info" },
    {
      write: (chunk: string) => {
        chunks.push(chunk);
      },
    },
  );
  return {
    logger,
    text: () => chunks.join(""),
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown> & { msg: string }),
  };
}

/** The files of a blob store that hold a string (a secret must be in none). */
export function blobsHolding(dir: string, text: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (readFileSync(path).includes(text)) found.push(path);
    }
  };
  walk(dir);
  return found;
}
