import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InvalidArgumentError } from "commander";
import type { Config } from "../config/load.js";
import { stepCounts } from "../domain/run/state.js";
import type { BlobStore } from "../ports/blobs.js";
import type { DriverKind } from "../ports/browser.js";
import { renderHtml } from "../projections/render-html.js";
import { renderJUnit } from "../projections/render-junit.js";
import type { RunDetails } from "../projections/run-report/details.js";
import { buildRunReport } from "../projections/run-report/report.js";
import { type EngineRuntime, loadRuntime, openEngine } from "../runtime.js";
import { startEngine } from "./start-up.js";

/** What the commands that run tests share: an engine for the command's life, URLs, and the run's reports. */

export function httpUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === "http:" || url.protocol === "https:") return url.toString().replace(/\/$/, "");
  } catch {
    // Reported below.
  }
  throw new InvalidArgumentError("must be an http(s) URL");
}

/** A value that must say something: `--app-version ""` is refused, as the HTTP API refuses it. */
export function nonEmpty(value: string): string {
  if (value.trim() === "") throw new InvalidArgumentError("must not be empty");
  return value;
}

/** Writes the run's report as HTML (self-contained), JSON and JUnit XML; returns the three paths. */
export async function writeReports(dataDir: string, state: RunDetails, blobs: BlobStore) {
  const dir = join(dataDir, "reports");
  mkdirSync(dir, { recursive: true });
  const report = buildRunReport(state);
  const base = join(dir, String(state.run_id));
  const paths = { html: `${base}.html`, json: `${base}.json`, junit: `${base}.junit.xml` };
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.junit, renderJUnit(report));
  writeFileSync(paths.html, await renderHtml(report, (hash) => blobs.get(hash).catch(() => undefined)));
  return paths;
}

/** The lines that end a run's output: its summary and where its reports are. */
export async function reportLines(dataDir: string, state: RunDetails, blobs: BlobStore): Promise<string> {
  const paths = await writeReports(dataDir, state, blobs);
  return `${summaryLine(state)}\nreport: ${paths.html}\njson: ${paths.json}\njunit: ${paths.junit}\n`;
}

export function summaryLine(state: RunDetails): string {
  const c = stepCounts(state);
  return `run ${state.run_id} ${state.status}: ${c.passed} passed, ${c.healed} healed, ${c.failed} failed, ${c.skipped} skipped (${state.duration_ms ?? 0} ms)`;
}

/**
 * Runs `fn` with an engine open for the command's life. `announce`: say on stderr what starting up does
 * (commands that run tests, whose start takes seconds), and have the browser launched before `fn`.
 */
export async function withEngine<T>(
  configFile: string | undefined,
  fn: (runtime: EngineRuntime, dataDir: string, config: Config) => Promise<T>,
  options: { announce?: boolean; driver?: DriverKind } = {},
): Promise<T> {
  const runtime = loadRuntime(configFile);
  const engine = options.announce ? await startEngine(runtime, options.driver) : await openEngine(runtime);
  const stop = () => void engine.engine.close();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    return await fn(engine, runtime.config.store.dataDir, runtime.config);
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await engine.close();
  }
}
