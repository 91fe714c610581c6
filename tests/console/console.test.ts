import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openEventStore } from "../../src/adapters/eventstore/open.js";
import { ApiKeys } from "../../src/adapters/sql/api-keys.js";
import { createEventRegistry } from "../../src/domain/catalog.js";
import { browsersAvailable, CHROMIUM } from "../support/browsers.js";

const ROOT = join(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/cli/main.js");

/** `testdriver serve --demo` from the built CLI; resolves once it says where it listens and where the demo is. */
async function serveDemo(env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, "serve", "--demo", "--port", "0"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TESTDRIVER_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  let url: string | undefined;
  for await (const line of createInterface({ input: child.stdout! })) {
    url ??= /^testdriver (http:\/\/\S+) /.exec(line)?.[1];
    const demo = /^demo: Listly 1\.0 at (\S+), 2\.0 at (\S+);/.exec(line);
    if (url && demo) return { child, url, v2: demo[2]! };
  }
  throw new Error(`serve exited without listening: ${stderr}`);
}

describe.runIf(browsersAvailable)(
  "the web console (Playwright Test in Chromium, against serve --demo)",
  () => {
    const dataDir = mkdtempSync(join(tmpdir(), "td-console-"));
    let server: Awaited<ReturnType<typeof serveDemo>> | undefined;
    let adminKey: string;
    let viewerKey: string;

    beforeAll(async () => {
      // The keys first, in the store the server then opens (an embedded store admits one process at a time).
      const { store } = await openEventStore({ kind: "pglite", dataDir }, createEventRegistry(), {
        migrate: true,
      });
      try {
        const keys = new ApiKeys(store.db);
        adminKey = (await keys.create("reviewer", "admin")).key;
        viewerKey = (await keys.create("watcher", "viewer")).key;
      } finally {
        await store.close();
      }
      server = await serveDemo({ TESTDRIVER_DATA_DIR: dataDir });
    }, 90_000);

    afterAll(() => {
      (server?.child as ChildProcess | undefined)?.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("lets a person watch the demo's runs, review and approve its heals and a baseline, travel in time and start a run, with no serious accessibility violation", async () => {
      // Screenshots of each view go to docs/ for the README when asked (TESTDRIVER_CONSOLE_SCREENSHOTS=docs).
      const shots =
        process.env.TESTDRIVER_CONSOLE_SCREENSHOTS === "docs"
          ? join(ROOT, "docs")
          : join(ROOT, ".tmp/console-shots");
      mkdirSync(shots, { recursive: true });
      const result = await new Promise<{ code: number; output: string }>((resolve) => {
        execFile(
          process.execPath,
          [
            join(ROOT, "node_modules/@playwright/test/cli.js"),
            "test",
            "--config",
            join(import.meta.dirname, "playwright.config.ts"),
          ],
          {
            cwd: ROOT,
            timeout: 240_000,
            env: {
              ...process.env,
              CONSOLE_URL: server!.url,
              DEMO_V2_URL: server!.v2,
              ADMIN_KEY: adminKey,
              VIEWER_KEY: viewerKey,
              CHROMIUM_PATH: CHROMIUM,
              SCREENSHOT_DIR: shots,
            },
          },
          (error, stdout, stderr) =>
            resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }),
        );
      });
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(/9 passed/);
    }, 250_000);
  },
);
