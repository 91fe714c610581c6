import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningDemo, serveDemo } from "../../src/demo/app.js";
import { browsersAvailable } from "../support/browsers.js";
import { DEMO_PLAN_TEXT, harness } from "../support/engine.js";

const CLI = join(import.meta.dirname, "../../src/cli/main.ts");

/** `testdriver serve` in a child process; resolves with its URL once it says where it listens. */
async function serve(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "serve", "--port", "0", ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TESTDRIVER_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  // The banner: the URL line first, the MCP endpoint last.
  const banner: string[] = [];
  for await (const line of createInterface({ input: child.stdout! })) {
    if (banner.length > 0 || line.startsWith("testdriver ")) banner.push(line);
    const url = /^testdriver (http:\/\/\S+) \((.+)\)$/.exec(banner[0] ?? "");
    if (url && line.startsWith("MCP: "))
      return { child, url: url[1]!, mode: url[2]!, banner, exited, stderr: () => stderr };
  }
  throw new Error(`serve exited without listening: ${stderr}`);
}

type Sse = { id: string; event: string; data: string };

function parseBlock(block: string): Sse {
  const field = (name: string) => new RegExp(`^${name}: (.*)$`, "m").exec(block)?.[1] ?? "";
  return { id: field("id"), event: field("event"), data: field("data") };
}

/** Reads server-sent events until `until` says stop. */
async function readEvents(url: string, until: (events: Sse[]) => boolean) {
  const res = await fetch(url);
  expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Sse[] = [];
  let buffer = "";
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const blocks = buffer.split("\n\n");
    buffer = blocks.pop()!;
    // Comment blocks (": keep-alive") carry no event.
    for (const block of blocks) if (!block.startsWith(":")) events.push(parseBlock(block));
  }
  await reader.cancel();
  return events;
}

describe.runIf(browsersAvailable)("testdriver serve", () => {
  let demo: RunningDemo;
  let server: Awaited<ReturnType<typeof serve>>;
  const dataDir = mkdtempSync(join(tmpdir(), "td-serve-"));
  beforeAll(async () => {
    demo = await serveDemo(1);
    server = await serve(["--host", "0.0.0.0"], {
      TESTDRIVER_DATA_DIR: dataDir,
    });
  }, 120_000);
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
    await demo?.close();
  });

  it("without API keys listens on loopback only, whatever host was asked for, and says so", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.mode).toBe("no API keys: loopback only, every caller is admin");
    expect(server.stderr()).toContain("no API keys exist: listening on 127.0.0.1 only");
  });

  it("names in its banner the console, the API reference, the OpenAPI document and the MCP endpoint, each answering", async () => {
    const { url } = server;
    expect(server.banner).toEqual([
      `testdriver ${url} (no API keys: loopback only, every caller is admin)`,
      `console: ${url}/`,
      `API reference: ${url}/docs (interactive; the OpenAPI document is ${url}/openapi.json)`,
      "API keys: none yet, so loopback needs none; `testdriver keys create --name N --role admin` makes one (then restart)",
      `MCP: ${url}/mcp (Streamable HTTP)`,
    ]);
    for (const path of ["/", "/docs", "/openapi.json"])
      expect((await fetch(`${url}${path}`)).status, path).toBe(200);
    // /mcp is there: a GET without a session is refused by the MCP transport, not a 404.
    expect((await fetch(`${url}/mcp`)).status).not.toBe(404);
  });

  it("streams the log live over server-sent events while a run started through the API proceeds", async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const streaming = readEvents(`${server.url}/api/events/stream?from=0`, (events) =>
      events.some((e) => e.event === "RunCompleted"),
    );
    const started = await fetch(`${server.url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ requirements: "Open /login\nExpect to see Sign in to Listly", url: demo.url }),
    });
    expect(started.status).toBe(202);
    const { run_id } = (await started.json()) as { run_id: string };
    const events = await streaming;
    // The server's vision layer records its adapters' health at start: the run's events follow.
    const types = events.map((e) => e.event).filter((t) => !t.startsWith("VisionAdapter"));
    expect(types[0]).toBe("RunRequested");
    expect(types).toEqual(
      expect.arrayContaining(["RunStarted", "StepStarted", "StepPassed", "RunCompleted"]),
    );
    const ids = events.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({
      streamId: `run-${run_id}`,
      type: "RunCompleted",
    });

    // A reconnect with Last-Event-ID resumes after the last event seen.
    const resumed = await fetch(`${server.url}/api/events/stream`, {
      headers: { "last-event-id": String(ids.at(-2)) },
    });
    const reader = resumed.body!.getReader();
    let text = "";
    while (!text.includes("event: RunCompleted"))
      text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toContain(`id: ${ids.at(-1)}`);
    expect(text).not.toContain(`id: ${ids.at(-2)}\n`);
  }, 120_000);

  it("shuts down gracefully on SIGTERM: a running test stops after its step, resumable, and the store closes", async () => {
    const plan = DEMO_PLAN_TEXT.replace("http://127.0.0.1:4400", demo.url);
    const started = await fetch(`${server.url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ plan }),
    });
    const { run_id } = (await started.json()) as { run_id: string };
    // Wait for the run to be under way: its first step has finished.
    await readEvents(`${server.url}/api/events/stream?from=0`, (events) =>
      events.some((e) => e.event === "StepPassed" && JSON.parse(e.data).streamId === `run-${run_id}`),
    );
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);

    // The embedded store was closed (its lock released), and the run was stopped with its state saved.
    const h = await harness(dataDir);
    try {
      const state = await h.engine().commands.loadRun(run_id);
      expect(state.status).toBe("stopped");
      expect(state.stop).toMatchObject({ resumable: true });
      expect(state.steps.filter((s) => s.status === "passed").length).toBeLessThan(13);
    } finally {
      await h.close();
    }
  }, 120_000);
});
