import type { UrlPolicy } from "../../domain/network/policy.js";
import type { BrowserDriver, BrowserSession, DriverKind, SessionOptions } from "../../ports/browser.js";
import { NetworkGate } from "../network/gate.js";
import type { Resolver } from "../network/resolver.js";

export class PoolTimeoutError extends Error {
  override readonly name = "PoolTimeoutError";
  constructor(limit: number, waitedMs: number) {
    super(
      `no browser session became free within ${waitedMs} ms (${limit} concurrent sessions allowed; raise TESTDRIVER_MAX_SESSIONS or wait for running tests)`,
    );
  }
}

export interface BrowserPoolOptions {
  drivers: Partial<Record<DriverKind, () => BrowserDriver>>;
  maxConcurrentSessions: number;
  defaults?: SessionOptions;
  acquireTimeoutMs?: number;
  /**
   * The operator's network policy: each session gets a network gate of its own that its browser is started
   * behind, and a session's extra hosts (the application's origin) are admitted only as the policy allows.
   * Absent for remote browsers, which cannot reach a gate on this machine's loopback.
   */
  network?: { policy: UrlPolicy; resolver?: Resolver };
}

export interface PoolStats {
  active: number;
  waiting: number;
  limit: number;
  launches: Partial<Record<DriverKind, number>>;
  crashes: number;
}

/**
 * One driver (one browser process where the framework allows it) per kind, an isolated session per test
 * run, and at most `maxConcurrentSessions` sessions at a time; later callers queue in order. A driver whose
 * browser has died is relaunched for the next session.
 */
export class BrowserPool {
  private readonly drivers = new Map<DriverKind, BrowserDriver>();
  private readonly waiters: (() => void)[] = [];
  private readonly sessions = new Set<BrowserSession>();
  private readonly launches: Partial<Record<DriverKind, number>> = {};
  private crashes = 0;
  private active = 0;
  private closed = false;

  constructor(private readonly options: BrowserPoolOptions) {
    if (!Number.isInteger(options.maxConcurrentSessions) || options.maxConcurrentSessions < 1) {
      throw new RangeError("maxConcurrentSessions must be a whole number >= 1");
    }
  }

  kinds(): DriverKind[] {
    return Object.keys(this.options.drivers) as DriverKind[];
  }

  private async slot(): Promise<void> {
    if (this.active < this.options.maxConcurrentSessions) {
      this.active++;
      return;
    }
    // No limit unless one is set: a run waiting for a browser waits (workers claim only what they can run).
    const timeoutMs = this.options.acquireTimeoutMs;
    await new Promise<void>((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        this.active++;
        resolve();
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              const at = this.waiters.indexOf(grant);
              if (at >= 0) this.waiters.splice(at, 1);
              reject(new PoolTimeoutError(this.options.maxConcurrentSessions, timeoutMs!));
            }, timeoutMs);
      this.waiters.push(grant);
    });
  }

  private release() {
    this.active--;
    this.waiters.shift()?.();
  }

  /** A launch under way: a session asked for meanwhile waits for it instead of using a half-started browser. */
  private readonly launching = new Map<DriverKind, Promise<BrowserDriver>>();

  private async driver(kind: DriverKind): Promise<BrowserDriver> {
    const pending = this.launching.get(kind);
    if (pending) return pending;
    const factory = this.options.drivers[kind];
    if (!factory) throw new Error(`driver ${kind} is not configured; available: ${this.kinds().join(", ")}`);
    let driver = this.drivers.get(kind);
    if (driver && !driver.isAlive()) {
      this.crashes++;
      await driver.close().catch(() => {});
      driver = undefined;
    }
    if (driver) return driver;
    const fresh = factory();
    this.drivers.set(kind, fresh);
    this.launches[kind] = (this.launches[kind] ?? 0) + 1;
    const launched = fresh.launch().then(() => fresh);
    this.launching.set(kind, launched);
    try {
      return await launched;
    } finally {
      this.launching.delete(kind);
    }
  }

  /**
   * Starts a driver's browser before any session needs it (an MCP server does while its client lists the
   * tools), so the first test does not wait for the launch. Takes no slot; a failure is left to the first
   * real acquire to report.
   */
  async warm(kind: DriverKind): Promise<void> {
    if (this.closed || !this.options.drivers[kind]) return;
    await this.driver(kind);
  }

  /** A fresh isolated session; closing it (or its browser dying) frees its slot. */
  async acquire(kind: DriverKind, options: SessionOptions = {}): Promise<BrowserSession> {
    if (this.closed) throw new Error("the browser pool is closed");
    // Refused before a slot is taken: a run whose application host the policy refuses never gets a browser.
    const gate = this.gateFor(options.allowedHosts ?? []);
    await this.slot();
    let session: BrowserSession;
    try {
      const proxyServer = await gate?.listen();
      const driver = await this.driver(kind);
      session = await driver.newSession({
        ...this.options.defaults,
        ...options,
        ...(proxyServer ? { proxyServer } : {}),
      });
    } catch (error) {
      await gate?.close();
      this.release();
      throw error;
    }
    this.sessions.add(session);
    if (gate) session.takeRefusedRequests = () => gate.takeRefused();
    session.onClose(() => {
      this.sessions.delete(session);
      void gate?.close();
      this.release();
    });
    return session;
  }

  /** The session's gate: the operator's policy, with each host the caller asks for admitted as an application host. */
  private gateFor(hosts: string[]): NetworkGate | undefined {
    const network = this.options.network;
    if (!network) return undefined;
    const known = new Set(network.policy.describe());
    const policy = hosts
      .filter((host) => !known.has(host.toLowerCase()))
      .reduce(
        (p, host) => p.withOrigin(/^https?:\/\//.test(host) ? host : `http://${host}/`),
        network.policy,
      );
    return new NetworkGate({ policy, ...(network.resolver ? { resolver: network.resolver } : {}) });
  }

  stats(): PoolStats {
    return {
      active: this.active,
      waiting: this.waiters.length,
      limit: this.options.maxConcurrentSessions,
      launches: { ...this.launches },
      crashes: this.crashes,
    };
  }

  /** Whether each configured kind can start a browser now (for readiness checks). */
  async check(kind: DriverKind): Promise<void> {
    await this.driver(kind);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.sessions].map((s) => s.close()));
    await Promise.allSettled([...this.drivers.values()].map((d) => d.close()));
    this.drivers.clear();
  }
}
