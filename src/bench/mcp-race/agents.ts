import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { FlowStep, Locate, PwAction } from "./flows.js";
import { Reading, textOf } from "./reading.js";
import { findRef, snapshotShows } from "./snapshot-refs.js";

/** One way of driving a browser through MCP, as an agent would: started fresh for each flow. */
export interface Agent {
  name: string;
  reading: Reading;
  toolsListTokens: number;
  step(step: FlowStep): Promise<void>;
  /** What the agent does once the flow's steps are done (TestDriver's: finish the run to get its verdict). */
  finish(): Promise<void>;
  close(): Promise<void>;
}

export type AgentKind = "testdriver" | "testdriver-service" | "playwright-snapshots" | "playwright-lean";

/** Where the TestDriver agents connect: a server each spawns (stdio), or a shared service's /mcp. */
export interface Venue {
  dataDir: string;
  service?: { mcpUrl: string; key: string };
}

/** An SDK client connected over stdio to a server it spawns: resolves once `initialize` is answered. */
export async function connectStdio(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
) {
  const client = new Client({ name: "bench", version: "1" });
  const transport = new StdioClientTransport({
    command,
    args,
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stderr: "ignore",
  });
  await client.connect(transport);
  return client;
}

/** An SDK client on a running server's Streamable HTTP endpoint, with an API key. */
async function connectHttp(mcpUrl: string, key: string) {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(mcpUrl), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

// A real client lists the tools before the model can use them: part of start-up, and read once.
async function listed(client: Client) {
  const tools = (await client.listTools()).tools;
  return { client, toolsListTokens: Math.ceil(JSON.stringify(tools).length / 4) };
}

const connect = async (command: string, args: string[], env: Record<string, string>, cwd?: string) =>
  listed(await connectStdio(command, args, env, cwd));

const call = async (client: Client, reading: Reading, name: string, args: Record<string, unknown>) => {
  const r = (await client.callTool({ name, arguments: args }, undefined, {
    timeout: 120_000,
  })) as CallToolResult;
  reading.result(r);
  return r;
};

class FlowFailed extends Error {}

/** The package exports only its package.json and index: its CLI sits beside them. */
export const playwrightMcpCli = () =>
  join(dirname(createRequire(import.meta.url).resolve("@playwright/mcp/package.json")), "cli.js");

export async function startAgent(
  kind: AgentKind,
  chromium: string,
  url: string,
  venue: Venue,
): Promise<Agent> {
  if (kind === "testdriver") return testdriver(chromium, url, venue.dataDir);
  if (kind === "testdriver-service") {
    if (!venue.service) throw new Error("no shared service to connect to");
    const { mcpUrl, key } = venue.service;
    const { client, toolsListTokens } = await listed(await connectHttp(mcpUrl, key));
    return testdriverOn(kind, client, toolsListTokens, url, async () => {
      await (client.transport as StreamableHTTPClientTransport | undefined)
        ?.terminateSession()
        .catch(() => {});
      await client.close();
    });
  }
  return playwright(kind, chromium, url);
}

/**
 * A data folder as a configured client's TESTDRIVER_DATA_DIR is after its first session: created and
 * migrated once, before the clock runs (that first start is measured on its own, by `startup`).
 */
export function preparedDataDir(): string {
  const dataDir = mkdtempSync(join(tmpdir(), "td-race-"));
  const bin = fileURLToPath(new URL("../../../bin/testdriver.js", import.meta.url));
  execFileSync(process.execPath, [bin, "migrate"], {
    env: { ...process.env, TESTDRIVER_DATA_DIR: dataDir, TESTDRIVER_LOG_LEVEL: "silent" },
    stdio: "ignore",
  });
  return dataDir;
}

async function testdriver(chromium: string, url: string, dataDir: string): Promise<Agent> {
  const bin = fileURLToPath(new URL("../../../bin/testdriver.js", import.meta.url));
  const { client, toolsListTokens } = await connect(process.execPath, [bin, "mcp"], {
    TESTDRIVER_DATA_DIR: dataDir,
    TESTDRIVER_LOG_LEVEL: "silent",
    TESTDRIVER_CHROMIUM_PATH: chromium,
  });
  return testdriverOn("testdriver", client, toolsListTokens, url, () => client.close());
}

/** TestDriver driven as its tool descriptions teach, over whichever connection. */
function testdriverOn(
  name: AgentKind,
  client: Client,
  toolsListTokens: number,
  url: string,
  close: () => Promise<void>,
): Agent {
  const reading = new Reading();
  let runId = "";
  const must = async (name: string, args: Record<string, unknown>) => {
    const r = await call(client, reading, name, args);
    if (r.isError) throw new FlowFailed(`testdriver ${name}: ${textOf(r)}`);
    return r;
  };
  return {
    name,
    reading,
    toolsListTokens,
    step: async (step) => {
      if (step.kind === "open") {
        const r = await must("start_test", { url, interactive: true });
        runId = (r.structuredContent as { run_id: string }).run_id;
      } else if (step.kind === "act") {
        await must("execute_step", { run_id: runId, ...step.td });
      } else {
        const params = step.absent ? { not_text: step.text } : { text: step.text };
        await must("execute_step", { run_id: runId, action: "assert", params });
      }
    },
    finish: async () => {
      await must("finish_test", { run_id: runId });
    },
    close,
  };
}

/**
 * Playwright MCP driven two ways: reading the snapshot each action links (the way its results invite), or
 * lean, searching the tree with browser_find and checking with its testing tools, reading no snapshot
 * unless a search comes back without the element.
 */
async function playwright(kind: AgentKind, chromium: string, url: string): Promise<Agent> {
  const cli = playwrightMcpCli();
  const workDir = mkdtempSync(join(tmpdir(), "td-race-pw-"));
  const args = ["--headless", "--isolated", "--no-sandbox", "--browser", "chromium", "--caps", "testing"];
  const { client, toolsListTokens } = await connect(
    process.execPath,
    [cli, ...args, "--executable-path", chromium],
    {},
    workDir,
  );
  const reading = new Reading();
  const lean = kind === "playwright-lean";
  let snapshot = "";
  const use = async (name: string, input: Record<string, unknown>) => {
    const r = await call(client, reading, name, input);
    if (r.isError) throw new FlowFailed(`Playwright MCP ${name}: ${textOf(r)}`);
    const file = /- \[Snapshot\]\(([^)]+\.yml)\)/.exec(textOf(r))?.[1];
    if (file && !lean) {
      snapshot = readFileSync(resolve(workDir, file), "utf8");
      reading.file(snapshot);
    } else if (textOf(r).includes("### Snapshot\n```yaml")) snapshot = textOf(r);
    return r;
  };
  const freshSnapshot = async () => {
    const r = await use("browser_snapshot", {});
    if (lean) {
      const file = /- \[Snapshot\]\(([^)]+\.yml)\)/.exec(textOf(r))?.[1];
      if (file) {
        snapshot = readFileSync(resolve(workDir, file), "utf8");
        reading.file(snapshot);
      }
    }
  };
  const ref = async (at: Locate): Promise<string> => {
    if (lean) {
      const found = textOf(await use("browser_find", { text: at.name ?? at.near }));
      const hit = findRef(found, at);
      if (hit) return hit;
      await freshSnapshot();
    }
    const seen = findRef(snapshot, at);
    if (seen) return seen;
    if (!lean) await freshSnapshot();
    const again = findRef(snapshot, at);
    if (!again) throw new FlowFailed(`Playwright MCP: no ${JSON.stringify(at)} in the page's tree`);
    return again;
  };
  const act = async (a: PwAction) => {
    if (a.tool === "fill") {
      const fields = [];
      for (const f of a.fields)
        fields.push({ name: f.name, type: f.type, target: await ref(f.at), value: f.value });
      await use("browser_fill_form", { fields });
      return;
    }
    if (a.tool === "type") {
      await use("browser_type", { target: await ref(a.at), text: a.text, submit: a.submit });
      return;
    }
    if (a.hoverFirst) await use("browser_hover", { target: await ref(a.hoverFirst) });
    await use("browser_click", { target: await ref(a.at) });
  };
  const check = async (text: string, absent: boolean) => {
    if (lean) {
      if (!absent) return void (await use("browser_verify_text_visible", { text }));
      const found = textOf(await use("browser_find", { text }));
      if (found.split("\n").some((l) => /^\s*- /.test(l) && l.includes(text))) {
        throw new FlowFailed(`Playwright MCP: "${text}" is still on the page`);
      }
      return;
    }
    // A snapshot agent judges from what it read, and looks again (at most twice) when the page lags.
    for (let look = 0; snapshotShows(snapshot, text) === absent; look++) {
      if (look === 2)
        throw new FlowFailed(`Playwright MCP: "${text}" ${absent ? "still shows" : "never showed"}`);
      await freshSnapshot();
    }
  };
  return {
    name: kind,
    reading,
    toolsListTokens,
    step: async (step) => {
      if (step.kind === "open") await use("browser_navigate", { url });
      else if (step.kind === "act") await act(step.pw);
      else await check(step.text, step.absent === true);
    },
    finish: async () => {},
    close: async () => {
      await client.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

export { FlowFailed };
