import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { CHROMIUM_ARGS } from "../../src/adapters/browser/chromium.js";
import { CHROMEDRIVER, CHROMIUM } from "./browsers.js";

/** Browser endpoints started here as teams run them elsewhere: each in a process of its own. */
export interface RemoteEndpoint {
  url: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

/** A port free right now (ChromeDriver takes no port 0). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves with the first line of a stream that matches, or rejects if the process ends first. */
function lineOf(
  child: ChildProcess,
  stream: "stdout" | "stderr",
  pattern: RegExp,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child[stream]! });
    lines.on("line", (line) => {
      const match = line.match(pattern);
      if (match) {
        lines.close();
        resolve(match);
      }
    });
    child.once("exit", (code) => reject(new Error(`the process ended (${code}) before printing ${pattern}`)));
  });
}

function stopper(child: ChildProcess, cleanup?: () => void) {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    cleanup?.();
  };
}

/** ChromeDriver on a port of its own: a WebDriver URL, as a Selenium Grid node offers one. */
export async function startChromeDriver(): Promise<RemoteEndpoint> {
  const port = await freePort();
  const child = spawn(CHROMEDRIVER, [`--port=${port}`], { stdio: ["ignore", "pipe", "pipe"] });
  await lineOf(child, "stdout", /started successfully/);
  return { url: `http://127.0.0.1:${port}`, process: child, stop: stopper(child) };
}

/** A Playwright browser server (`chromium.launchServer`) in another Node process: a ws:// endpoint. */
export async function startPlaywrightServer(): Promise<RemoteEndpoint> {
  const script = `
    import { chromium } from "playwright-core";
    const server = await chromium.launchServer({ executablePath: ${JSON.stringify(CHROMIUM)}, headless: true,
      args: ${JSON.stringify(CHROMIUM_ARGS)}, port: 0, host: "127.0.0.1" });
    console.log("WS " + server.wsEndpoint());
    process.on("SIGTERM", async () => { await server.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
    cwd: join(import.meta.dirname, "../.."),
  });
  const [, url] = await lineOf(child, "stdout", /^WS (ws:\/\/\S+)$/);
  return { url: url!, process: child, stop: stopper(child) };
}

/** Chromium with --remote-debugging-port: a CDP endpoint, as Browserless or a grid's se:cdp offers one. */
export async function startChromiumWithCdp(): Promise<RemoteEndpoint> {
  const profile = mkdtempSync(join(tmpdir(), "td-cdp-"));
  const child = spawn(
    CHROMIUM,
    [
      ...CHROMIUM_ARGS,
      "--headless=new",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const [, port] = await lineOf(child, "stderr", /DevTools listening on ws:\/\/127\.0\.0\.1:(\d+)\//);
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    // Chromium's helper processes can outlive the browser by a moment and still write into the profile.
    stop: stopper(child, () =>
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }),
    ),
  };
}

/** A forward HTTP proxy on loopback that counts the requests it carried, by host. */
export async function startCountingProxy() {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? "/");
    hits.set(target.host, (hits.get(target.host) ?? 0) + 1);
    const upstream = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, connection: "close" } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    server: `http://127.0.0.1:${port}`,
    hits: (host: string) => hits.get(host) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
