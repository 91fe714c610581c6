import { rmSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { ratio } from "../measure.js";
import { type AgentKind, preparedDataDir, startAgent, type Venue } from "./agents.js";
import { type ServedApp, serveSwaggerUi, serveTodoMvc } from "./apps.js";
import { FLOWS, type Flow } from "./flows.js";
import { startSharedService } from "./shared-service.js";

const KINDS: AgentKind[] = ["testdriver", "testdriver-service", "playwright-snapshots", "playwright-lean"];

interface Round {
  ms: number;
  calls: number;
  tokens: number;
  toolsListTokens: number;
  structuredChars: number;
  error?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};

/**
 * One flow by one agent, from spawning its server (connecting, for the shared service) to its last check:
 * start-up counted, as a user waits.
 */
async function runOnce(
  kind: AgentKind,
  flow: Flow,
  app: ServedApp,
  chromium: string,
  venue: Venue,
): Promise<Round> {
  const started = performance.now();
  const agent = await startAgent(kind, chromium, app.url, venue);
  try {
    for (const step of flow.steps) await agent.step(step);
    await agent.finish();
    return measured(agent, started);
  } catch (error) {
    return { ...measured(agent, started), error: String((error as Error).message).slice(0, 400) };
  } finally {
    await agent.close();
  }
}

const measured = (agent: Awaited<ReturnType<typeof startAgent>>, started: number): Round => ({
  ms: performance.now() - started,
  calls: agent.reading.calls,
  tokens: agent.reading.tokens,
  toolsListTokens: agent.toolsListTokens,
  structuredChars: agent.reading.structuredChars,
});

/**
 * The race: each flow by each agent `rounds` times, the agents interleaved round by round so that a busy
 * machine slows all three alike; medians per agent, and TestDriver's ratios against both Playwright ways.
 */
export async function race(chromium: string, rounds: number): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const dataDir = preparedDataDir();
  const service = await startSharedService(chromium);
  const venue: Venue = { dataDir, service };
  for (const flow of FLOWS) {
    const app = flow.app === "todomvc" ? await serveTodoMvc() : await serveSwaggerUi();
    const byKind = new Map<AgentKind, Round[]>(KINDS.map((k) => [k, []]));
    try {
      for (let r = 0; r < rounds; r++) {
        // Who goes first rotates: the first agent of a round may meet a colder machine.
        for (let k = 0; k < KINDS.length; k++) {
          const kind = KINDS[(k + r) % KINDS.length]!;
          byKind.get(kind)!.push(await runOnce(kind, flow, app, chromium, venue));
        }
      }
    } finally {
      await app.close();
    }
    const summary = new Map<AgentKind, Record<string, number | string | undefined>>();
    for (const kind of KINDS) {
      const all = byKind.get(kind)!;
      const ok = all.filter((x) => !x.error);
      const row = {
        ms: Math.round(median(ok.map((x) => x.ms))),
        calls: median(ok.map((x) => x.calls)),
        result_tokens: median(ok.map((x) => x.tokens)),
        tools_list_tokens: ok[0]?.toolsListTokens ?? all[0]?.toolsListTokens,
        tokens: median(ok.map((x) => x.tokens + x.toolsListTokens)),
        structured_chars_not_counted: median(ok.map((x) => x.structuredChars)),
      };
      summary.set(kind, row);
      lines.push({
        bench: "mcp",
        flow: flow.name,
        agent: kind,
        rounds: all.length,
        passed: ok.length,
        ...row,
        ms_each: all.map((x) => Math.round(x.ms)),
        ...(all.some((x) => x.error) ? { first_error: all.find((x) => x.error)?.error } : {}),
      });
    }
    lines.push(verdict(flow, summary));
  }
  await service.close();
  rmSync(dataDir, { recursive: true, force: true });
  return lines;
}

/** TestDriver against the better Playwright way on each measure, and the goals (time ≤ 1.0×, tokens ≤ 0.5×). */
function verdict(flow: Flow, summary: Map<AgentKind, Record<string, number | string | undefined>>) {
  const ours = summary.get("testdriver")!;
  const peers = ["playwright-snapshots", "playwright-lean"] as const;
  const n = (kind: AgentKind, key: string) => Number(summary.get(kind)![key]);
  const better = (key: string) => {
    const passed = peers.map((p) => n(p, key)).filter((x) => Number.isFinite(x));
    return passed.length > 0 ? Math.min(...passed) : undefined;
  };
  const timeRatio = ratio(Number(ours.ms), better("ms"));
  const tokenRatio = ratio(Number(ours.tokens), better("tokens"));
  return {
    bench: "mcp",
    flow: flow.name,
    summary: true,
    time_vs_snapshots: ratio(Number(ours.ms), n("playwright-snapshots", "ms")),
    time_vs_lean: ratio(Number(ours.ms), n("playwright-lean", "ms")),
    tokens_vs_snapshots: ratio(Number(ours.tokens), n("playwright-snapshots", "tokens")),
    tokens_vs_lean: ratio(Number(ours.tokens), n("playwright-lean", "tokens")),
    result_tokens_vs_lean: ratio(Number(ours.result_tokens), n("playwright-lean", "result_tokens")),
    calls_vs_lean: ratio(Number(ours.calls), n("playwright-lean", "calls")),
    // The same agent on a shared `testdriver serve` (started before the rounds): no process start-up.
    service_time_vs_better: ratio(n("testdriver-service", "ms"), better("ms")),
    service_tokens_vs_better: ratio(n("testdriver-service", "tokens"), better("tokens")),
    time_goal: goal(timeRatio, 1),
    tokens_goal: goal(tokenRatio, 0.5),
  };
}

/** A goal's verdict; no verdict at all when no Playwright way finished the flow to compare with. */
function goal(measured: number | null, wanted: number): string {
  if (measured === null || !Number.isFinite(measured)) return "no verdict: neither Playwright way passed";
  return measured <= wanted
    ? `met: ${measured}× (goal ≤ ${wanted}× the better Playwright way)`
    : `missed: ${measured}× (goal ≤ ${wanted}×)`;
}
