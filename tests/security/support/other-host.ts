import { execFileSync } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";

/**
 * "Another host": an address on a veth pair into a network namespace of its own, not loopback, so nothing but
 * TestDriver's policy stands between the browser and it. Created once (we run as root); reused afterwards.
 */
export const OTHER_HOST = "10.77.0.1";

export function ensureOtherHost(): void {
  const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" }).toString();
  if (ip("-4", "addr", "show").includes(`inet ${OTHER_HOST}/`)) return;
  try {
    ip("netns", "add", "td17other");
  } catch {
    // already there
  }
  ip("link", "add", "td17a", "type", "veth", "peer", "name", "td17b", "netns", "td17other");
  ip("addr", "add", `${OTHER_HOST}/24`, "dev", "td17a");
  ip("link", "set", "td17a", "up");
  ip("netns", "exec", "td17other", "ip", "addr", "add", "10.77.0.2/24", "dev", "td17b");
  ip("netns", "exec", "td17other", "ip", "link", "set", "td17b", "up");
}

/** A listener that counts every connection made to it (a single byte would need one). */
export interface HitCounter {
  port: number;
  hits(): number;
  /** Resolves when the next connection arrives (for control runs that expect one). */
  nextHit(): Promise<void>;
  close(): Promise<void>;
}

export async function countHits(host = OTHER_HOST): Promise<HitCounter> {
  let hits = 0;
  let waiters: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    hits++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    // Answer like a web server so a browser that got here would carry on and show it.
    socket.once("data", () =>
      socket.end(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 17\r\n\r\n<h1>reached</h1>\n",
      ),
    );
    for (const w of waiters) w();
    waiters = [];
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return {
    port: address.port,
    hits: () => hits,
    nextHit: () => new Promise((resolve) => waiters.push(resolve)),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
