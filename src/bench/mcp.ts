import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { DEMO_PASSWORD, serveDemo } from "../demo/app.js";
import { ratio } from "./measure.js";

type Action =
  | { kind: "open"; path: string }
  | { kind: "type"; role: string; name: string; text: string }
  | { kind: "click"; role: string; name: string };

/** The 10-step flow on the demo app, as an agent would drive it: every element by what it is called. */
const FLOW: Action[] = [
  { kind: "open", path: "/login" },
  { kind: "type", role: "textbox", name: "Email", text: "alice@example.com" },
  { kind: "type", role: "textbox", name: "Password", text: DEMO_PASSWORD },
  { kind: "click", role: "button", name: "Sign in" },
  { kind: "type", role: "textbox", name: "New item", text: "Milk" },
  { kind: "click", role: "button", name: "Add" },
  { kind: "click", role: "button", name: "Delete Milk" },
  { kind: "type", role: "textbox", name: "New item", text: "Tea" },
  { kind: "click", role: "button", name: "Add" },
  { kind: "click", role: "link", name: "Sign out" },
];

interface Driver {
  name: string;
  step(action: Action, url: string): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Everything in the result: content and structuredContent (clients differ in which they show a model). */
const size = (r: CallToolResult) =>
  JSON.stringify(r.content).length + JSON.stringify(r.structuredContent ?? null).length;
const textOf = (r: CallToolResult) => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

async function connect(command: string, args: string[], env: Record<string, string>) {
  const client = new Client({ name: "bench", version: "1" });
  await client.connect(
    new StdioClientTransport({
      command,
      args,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stderr: "ignore",
    }),
  );
  return client;
}

async function testdriver(chromium: string): Promise<Driver> {
  const dataDir = mkdtempSync(join(tmpdir(), "td-bench-mcp-"));
  const bin = fileURLToPath(new URL("../../bin/testdriver.js", import.meta.url));
  const client = await connect(process.execPath, [bin, "mcp"], {
    TESTDRIVER_DATA_DIR: dataDir,
    TESTDRIVER_LOG_LEVEL: "silent",
    TESTDRIVER_CHROMIUM_PATH: chromium,
  });
  let testId = "";
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 })) as CallToolResult;
  return {
    name: "testdriver",
    step: async (a, url) => {
      if (a.kind === "open") {
        const r = await call("start_test", {
          application_url: `${url}${a.path}`,
          interactive: true,
        });
        // The start result carries the page it opened: the agent needs no describe_screen before acting.
        testId = (r.structuredContent as { test_id: string }).test_id;
        return r;
      }
      const target = `${a.name} ${a.role === "textbox" ? "field" : a.role}`;
      return call("execute_step", {
        test_id: testId,
        action: a.kind,
        params: a.kind === "type" ? { target, text: a.text } : { target },
      });
    },
    close: async () => {
      await call("finish_test", { test_id: testId }).catch(() => {});
      await client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function playwrightMcp(chromium: string): Promise<Driver> {
  // The package exports only its package.json and index: its CLI sits beside them.
  const cli = join(dirname(createRequire(import.meta.url).resolve("@playwright/mcp/package.json")), "cli.js");
  const outputDir = mkdtempSync(join(tmpdir(), "td-bench-pwmcp-"));
  const client = await connect(
    process.execPath,
    [
      cli,
      "--headless",
      "--isolated",
      "--no-sandbox",
      "--executable-path",
      chromium,
      "--browser",
      "chromium",
      "--output-dir",
      outputDir,
      "--file-paths",
      "absolute",
    ],
    {},
  );
  let snapshot = "";
  // Playwright MCP acts on refs from the page's last snapshot, as its agent would read them.
  const refOf = (role: string, name: string) => {
    const match = new RegExp(
      `- ${role} "${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}"[^\\n]*\\[ref=([a-z0-9]+)\\]`,
    ).exec(snapshot);
    if (!match) throw new Error(`Playwright MCP: no ${role} "${name}" in the last snapshot:\n${snapshot}`);
    return match[1];
  };
  const call = async (name: string, args: Record<string, unknown>) => {
    const r = (await client.callTool({ name, arguments: args }, undefined, {
      timeout: 120_000,
    })) as CallToolResult;
    if (r.isError) throw new Error(`Playwright MCP ${name}: ${textOf(r)}`);
    // Results link the page's snapshot as a file: what the model reads is the result plus that file.
    const text = textOf(r);
    const file = /- \[Snapshot\]\(([^)]+\.yml)\)/.exec(text)?.[1];
    if (file) snapshot = readFileSync(file, "utf8");
    else if (text.includes("### Snapshot")) snapshot = text;
    return file ? { ...r, content: [...r.content, { type: "text" as const, text: snapshot }] } : r;
  };
  return {
    name: "@playwright/mcp",
    step: async (a, url) => {
      if (a.kind === "open") return call("browser_navigate", { url: `${url}${a.path}` });
      const ref = refOf(a.role, a.name);
      return a.kind === "type"
        ? call("browser_type", { element: `${a.name} ${a.role}`, target: ref, text: a.text })
        : call("browser_click", { element: `${a.name} ${a.role}`, target: ref });
    },
    close: async () => {
      await client.close();
      rmSync(outputDir, { recursive: true, force: true });
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * What a client meets first, from spawning `testdriver mcp` on a fresh data folder: the initialize answer
 * (median of 5 starts), and the tool list's size in tokens (text ÷ 4) for the default and full profiles.
 */
async function startup(chromium: string) {
  const bin = fileURLToPath(new URL("../../bin/testdriver.js", import.meta.url));
  const handshakes: number[] = [];
  const tokens: Record<string, number> = {};
  for (let i = 0; i < 5; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), "td-bench-mcp-"));
    const profile = i === 0 ? "all" : "core";
    const started = performance.now();
    const client = await connect(process.execPath, [bin, "mcp", "--tools", profile], {
      TESTDRIVER_DATA_DIR: dataDir,
      TESTDRIVER_LOG_LEVEL: "silent",
      TESTDRIVER_CHROMIUM_PATH: chromium,
    });
    handshakes.push(performance.now() - started);
    tokens[profile] ??= Math.ceil(JSON.stringify((await client.listTools()).tools).length / 4);
    // Let the background open finish before the folder goes: closing mid-migration is another case.
    await client.callTool({ name: "list_tests", arguments: {} });
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    bench: "mcp",
    startup: true,
    handshake_ms_median: Math.round(median(handshakes)),
    handshake_ms: handshakes.map(Math.round),
    tools_list_tokens_core: tokens.core,
    tools_list_tokens_all: tokens.all,
  };
}

/** Whether @playwright/mcp is installed (a devDependency the bench races against). */
function playwrightMcpInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve("@playwright/mcp/package.json");
    return true;
  } catch {
    return false;
  }
}

/**
 * The same 10-step flow on the demo app through TestDriver's MCP server and through @playwright/mcp, both
 * spawned over stdio with the same Chromium and driven with the SDK client: wall time per step and the size
 * of the tool results (what a model reads), side by side.
 */
export async function benchMcp(options: { executablePath: string; rounds?: number }) {
  const lines: Record<string, unknown>[] = [await startup(options.executablePath)];
  if (!playwrightMcpInstalled()) {
    lines.push({ bench: "mcp", skipped: "the flow race needs @playwright/mcp, which is not installed" });
    return lines;
  }
  const demo = await serveDemo(1);
  try {
    const results: Record<string, { ms: number[]; chars: number[]; text: number[]; lastText: string }> = {};
    for (const make of [testdriver, playwrightMcp]) {
      const driver = await make(options.executablePath);
      const ms: number[] = [];
      const chars: number[] = [];
      const text: number[] = [];
      let lastText = "";
      try {
        for (const action of FLOW) {
          const started = performance.now();
          const r = await driver.step(action, demo.url);
          ms.push(performance.now() - started);
          chars.push(size(r));
          lastText = textOf(r);
          text.push(lastText.length);
        }
      } finally {
        await driver.close();
      }
      results[driver.name] = { ms, chars, text, lastText };
    }
    const ours = results.testdriver!;
    const peer = results["@playwright/mcp"]!;
    for (const [i, action] of FLOW.entries()) {
      lines.push({
        bench: "mcp",
        step: i + 1,
        action:
          action.kind === "open" ? `open ${action.path}` : `${action.kind} ${action.role} "${action.name}"`,
        testdriver_ms: Math.round(ours.ms[i]!),
        playwright_mcp_ms: Math.round(peer.ms[i]!),
        testdriver_chars: ours.chars[i],
        playwright_mcp_chars: peer.chars[i],
      });
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    // The first step launches a browser on each side; steady state is what an agent session feels.
    const steady = (xs: number[]) => sum(xs.slice(1)) / (xs.length - 1);
    lines.push({
      bench: "mcp",
      summary: true,
      steps: FLOW.length,
      testdriver_ms_per_step: Math.round(steady(ours.ms)),
      playwright_mcp_ms_per_step: Math.round(steady(peer.ms)),
      time_ratio: ratio(steady(ours.ms), steady(peer.ms)),
      testdriver_chars: sum(ours.chars),
      playwright_mcp_chars: sum(peer.chars),
      size_ratio: ratio(sum(ours.chars), sum(peer.chars)),
      // Only the text content (and, for @playwright/mcp, the snapshot file its results link to).
      testdriver_text_chars: sum(ours.text),
      playwright_mcp_text_chars: sum(peer.text),
      text_size_ratio: ratio(sum(ours.text), sum(peer.text)),
      both_signed_out: /Sign in/i.test(ours.lastText) && /Sign in/i.test(peer.lastText),
    });
  } finally {
    await demo.close();
  }
  return lines;
}
