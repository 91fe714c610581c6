import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { UrlRefusedError } from "../../domain/network/errors.js";
import type { UrlPolicy } from "../../domain/network/policy.js";
import type { RefusedRequest } from "../../ports/browser.js";
import { addressesOf, type Resolver, systemResolver } from "./resolver.js";

export interface GateOptions {
  policy: UrlPolicy;
  resolver?: Resolver;
  clock?: () => number;
}

/**
 * Chromium's own service endpoints (network time, component updates, optimisation hints, autofill): refused
 * like everything else, but not reported, since no page asked for them and no step should fail for them.
 */
const BROWSER_SERVICE_HOSTS = new Set([
  "clients1.google.com",
  "clients2.google.com",
  "update.googleapis.com",
  "optimizationguide-pa.googleapis.com",
  "content-autofill.googleapis.com",
  "safebrowsingohttpgateway.googleapis.com",
  "redirector.gvt1.com",
  "edgedl.me.gvt1.com",
  "accounts.google.com",
]);

/** Headers meant for the proxy itself, never forwarded. */
const HOP_BY_HOP = [
  "proxy-connection",
  "proxy-authorization",
  "keep-alive",
  "connection",
  "te",
  "trailer",
  "upgrade",
];

/**
 * The one way out for a browser session's traffic: an HTTP proxy (plain requests, CONNECT tunnels for TLS
 * and WebSockets, upgrades) that Chromium is started behind, with loopback proxied too. It checks the URL
 * against the policy, resolves the name itself and checks every address before it opens a connection, and
 * then connects to the address it checked (so a name cannot resolve differently between check and use).
 * What it refuses is kept for the engine, which fails the step naming the host.
 */
export class NetworkGate {
  private server: Server | undefined;
  private readonly refused: RefusedRequest[] = [];
  private readonly sockets = new Set<Duplex>();
  private readonly resolver: Resolver;

  constructor(private readonly options: GateOptions) {
    this.resolver = options.resolver ?? systemResolver;
  }

  /** Starts listening on loopback; the proxy address for `--proxy-server`. */
  async listen(): Promise<string> {
    const server = createServer((req, res) => void this.forward(req, res));
    server.on(
      "connect",
      (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.tunnel(req, socket, head),
    );
    server.on(
      "upgrade",
      (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head),
    );
    server.on("connection", (socket: Socket) => this.track(socket));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    this.server = server;
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("the network gate has no TCP address");
    return `http://127.0.0.1:${address.port}`;
  }

  /** The refusals since the last call, oldest first. */
  takeRefused(): RefusedRequest[] {
    return this.refused.splice(0);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }

  /** The address to connect to for `url`, or undefined (and a refusal kept) when the policy says no. */
  private async admit(url: string, hostname: string): Promise<string | undefined> {
    try {
      this.options.policy.check(url);
      const addresses = await addressesOf(hostname, this.resolver).catch((error: Error) => {
        throw new UrlRefusedError(url, `${hostname} does not resolve (${error.message})`);
      });
      if (addresses.length === 0) throw new UrlRefusedError(url, `${hostname} does not resolve`);
      // Every address must pass: a name that also resolves to the metadata service is refused outright.
      for (const address of addresses) this.options.policy.checkAddress(url, address);
      return addresses[0];
    } catch (error) {
      const reason = error instanceof UrlRefusedError ? error.reason : (error as Error).message;
      if (BROWSER_SERVICE_HOSTS.has(hostname.toLowerCase())) return undefined;
      this.refused.push({ url, host: hostOfUrl(url), reason, at: (this.options.clock ?? Date.now)() });
      return undefined;
    }
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = absolute(req.url);
    if (!target) {
      res
        .writeHead(400, { "content-type": "text/plain" })
        .end("the network gate only proxies absolute URLs\n");
      return;
    }
    const address = await this.admit(target.href, target.hostname);
    if (!address) {
      res
        .writeHead(403, { "content-type": "text/plain" })
        .end(`refused by TestDriver's network policy: ${target.host}\n`);
      return;
    }
    const headers = { ...req.headers };
    for (const name of HOP_BY_HOP) delete headers[name];
    const upstream = httpRequest(
      {
        host: address,
        port: Number(target.port || 80),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: { ...headers, host: target.host },
        setHost: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`the network gate could not reach ${target.host}: ${error.message}\n`);
    });
    req.pipe(upstream);
  }

  /** CONNECT host:port: TLS, and WebSockets (Chromium tunnels ws:// through an HTTP proxy too). */
  private async tunnel(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    this.track(socket);
    const target = absolute(`https://${req.url ?? ""}`);
    const port = target ? Number(target.port || 443) : 0;
    const address =
      target && (await this.admit(`${port === 443 ? "https" : "http"}://${target.host}/`, target.hostname));
    if (!target || !address) {
      socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    this.pipeTo(address, port, socket, ["HTTP/1.1 200 Connection Established\r\n\r\n", head]);
  }

  /** A WebSocket upgrade sent to the proxy as a plain request with an absolute URL. */
  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    this.track(socket);
    const target = absolute(req.url);
    const address = target && (await this.admit(target.href, target.hostname));
    if (!target || !address) {
      socket.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    const lines = [`${req.method} ${target.pathname}${target.search} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? "";
      if (!name.toLowerCase().startsWith("proxy-")) lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
    }
    this.pipeTo(address, Number(target.port || 80), socket, [], [`${lines.join("\r\n")}\r\n\r\n`, head]);
  }

  private pipeTo(
    address: string,
    port: number,
    client: Duplex,
    toClient: (string | Buffer)[],
    toServer: (string | Buffer)[] = [],
  ): void {
    const upstream = connect({ host: address, port }, () => {
      for (const chunk of toClient) client.write(chunk);
      for (const chunk of toServer) upstream.write(chunk);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    this.track(upstream);
    upstream.on("error", () => client.end("HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n"));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  }
}

function absolute(url: string | undefined): URL | undefined {
  try {
    const parsed = new URL(url ?? "");
    return parsed.protocol === "http:" || parsed.protocol === "https:" || parsed.protocol === "ws:"
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

function hostOfUrl(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
