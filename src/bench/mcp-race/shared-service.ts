import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { preparedDataDir } from "./agents.js";

/** `testdriver serve` running as a team's shared service: its /mcp URL and a runner's key. */
export interface SharedService {
  mcpUrl: string;
  key: string;
  close(): Promise<void>;
}

const BIN = fileURLToPath(new URL("../../../bin/testdriver.js", import.meta.url));

/**
 * Starts `testdriver serve` once, before any round: an agent of a team that runs TestDriver as a service
 * connects to it over Streamable HTTP and pays for its own session only, not for the server's start.
 */
export async function startSharedService(chromium: string): Promise<SharedService> {
  const dataDir = preparedDataDir();
  const env = { ...process.env, TESTDRIVER_DATA_DIR: dataDir, TESTDRIVER_LOG_LEVEL: "silent" };
  const created = execFileSync(
    process.execPath,
    [BIN, "keys", "create", "--name", "bench", "--role", "runner"],
    {
      env,
      encoding: "utf8",
    },
  );
  const key = /td_\S+/.exec(created)?.[0];
  if (!key) throw new Error(`keys create printed no key: ${created}`);
  const server = spawn(process.execPath, [BIN, "serve", "--port", "0"], {
    env: { ...env, TESTDRIVER_CHROMIUM_PATH: chromium },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let banner = "";
  server.stdout.setEncoding("utf8");
  while (!/MCP: (\S+)/.test(banner)) {
    const [chunk] = (await Promise.race([
      once(server.stdout, "data"),
      once(server, "exit").then(() => {
        throw new Error(`testdriver serve exited before it listened: ${banner}`);
      }),
    ])) as [string];
    banner += chunk;
  }
  return {
    mcpUrl: /MCP: (\S+)/.exec(banner)![1]!,
    key,
    close: async () => {
      const exited = once(server, "exit");
      server.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
