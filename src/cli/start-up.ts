import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/load.js";
import type { DriverKind, SessionPool } from "../ports/browser.js";

/**
 * What a command that runs tests does while it starts, on stderr as it happens: opening the store (the
 * first start creates it and applies the schema, seconds of silence otherwise) and launching the browser.
 */

const say = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

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

/** Announces the store before it opens and the time it took after. */
export async function openingStore<T>(store: Config["store"], open: () => Promise<T>): Promise<T> {
  const since = performance.now();
  say(`opening ${storeWords(store)}...`);
  const opened = await open();
  say(`store ready (${seconds(since)})`);
  return opened;
}

/** Launches the browser before the first step, so that its start is said and a failure to launch is plain. */
export async function launchingBrowser(pool: SessionPool, driver: DriverKind): Promise<void> {
  const since = performance.now();
  say(`launching the browser (${driver})...`);
  const session = await pool.acquire(driver);
  await session.close();
  say(`browser ready (${seconds(since)})`);
}
