import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/load.js";
import type { DriverKind } from "../ports/browser.js";
import { type EngineRuntime, openEngine, type Runtime } from "../runtime.js";

/**
 * What a command that runs tests does while it starts, on stderr as it happens: opening the store (the
 * first start creates it and applies the schema, seconds of silence otherwise) and launching the browser,
 * which starts meanwhile.
 */

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Where the store is, in words (a database URL without its credentials). */
export function storeWords(store: Config["store"]): string {
  if (store.kind === "postgres" && store.databaseUrl) {
    try {
      const url = new URL(store.databaseUrl);
      return `PostgreSQL at ${url.host}${url.pathname}`;
    } catch {
      return "PostgreSQL";
    }
  }
  const first = !existsSync(join(store.dataDir, "pgdata"));
  return `the event store in ${store.dataDir}${first ? " (first start: creating it, a few seconds)" : ""}`;
}

/**
 * The engine, with the browser the run will use launched: each said before it starts and when it is ready,
 * so a slow start is not a silent one and a browser that cannot start is named before any run.
 */
export async function startEngine(runtime: Runtime, driver: DriverKind | undefined): Promise<EngineRuntime> {
  const since = performance.now();
  const seconds = () => `${((performance.now() - since) / 1000).toFixed(1)} s`;
  const kind = driver ?? runtime.config.browser.driver;
  say(`opening ${storeWords(runtime.config.store)}...`);
  say(`launching the browser (${kind}) meanwhile...`);
  // openEngine launches the configured driver while the store opens; another one launches after.
  const engine = await openEngine(runtime, { warmBrowser: kind === runtime.config.browser.driver });
  say(`store ready (${seconds()})`);
  try {
    await engine.pool.warm(kind);
  } catch (error) {
    await engine.close();
    throw error;
  }
  say(`browser ready (${seconds()})`);
  return engine;
}
