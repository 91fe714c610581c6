import { UrlRefusedError } from "./errors.js";
import { type AddressClass, classifyIp, normalizeIp } from "./ip.js";

/** Address classes no setting makes reachable: the metadata service, link-local, and what is not a host. */
const NEVER: ReadonlySet<AddressClass> = new Set([
  "link-local",
  "metadata",
  "unspecified",
  "broadcast",
  "multicast",
]);

export interface NetworkRules {
  /** Hosts pages may reach: "example.com" (any port), "example.com:8443" (that port), "*.example.com". */
  allowedHosts?: string[];
  /** Loopback is reachable: the default local mode; a shared service turns it off. */
  allowLoopback?: boolean;
  /** Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10) are reachable. */
  allowPrivate?: boolean;
  /**
   * The hosts a run may target (TESTDRIVER_APPLICATION_HOSTS). When unset, a local policy lets the person at
   * the keyboard name any application host and a shared one only the allowed hosts.
   */
  applicationHosts?: string[];
}

interface Rule {
  host: string;
  port?: string;
  wildcard: boolean;
}

function parseRule(entry: string): Rule {
  const trimmed = entry.trim().toLowerCase();
  const withoutScheme = trimmed.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  const wildcard = withoutScheme.startsWith("*.");
  const hostPort = wildcard ? withoutScheme.slice(2) : withoutScheme;
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\d+))?$/.exec(hostPort);
  if (!match?.[1]) throw new TypeError(`allowed host ${JSON.stringify(entry)} is not a host name`);
  const ip = normalizeIp(match[1]);
  return { host: ip ?? match[1], port: match[3], wildcard };
}

const describeRule = (r: Rule) =>
  `${r.wildcard ? "*." : ""}${r.host.includes(":") ? `[${r.host}]` : r.host}${r.port ? `:${r.port}` : ""}`;

const LOOPBACK_NAMES = new Set(["localhost", "localhost.localdomain"]);

/** A loopback host as URL.hostname gives it ("[::1]", "[::ffff:127.0.0.1]") or as written ("::1"). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return LOOPBACK_NAMES.has(host) || host.endsWith(".localhost") || classifyIp(host) === "loopback";
}

/**
 * Which URLs and addresses a browser session may reach, so that neither a plan, an agent nor a hostile page
 * can turn the browser against internal services. Names are checked against the allow-list; addresses (a
 * literal in the URL, or what a name resolved to) against their class: the metadata service, link-local,
 * unspecified, broadcast and multicast never, private ranges only when the operator allows them, loopback
 * only in local mode.
 */
export class UrlPolicy {
  private readonly rules: Rule[];
  private readonly applicationRules: Rule[] | undefined;
  readonly allowLoopback: boolean;
  readonly allowPrivate: boolean;

  constructor(
    allowedHosts: string[] = [],
    allowLoopback = true,
    rules: Omit<NetworkRules, "allowedHosts"> = {},
  ) {
    this.rules = allowedHosts.map(parseRule);
    this.allowLoopback = rules.allowLoopback ?? allowLoopback;
    this.allowPrivate = rules.allowPrivate ?? false;
    this.applicationRules = rules.applicationHosts?.map(parseRule);
  }

  static of(rules: NetworkRules): UrlPolicy {
    return new UrlPolicy(rules.allowedHosts ?? [], rules.allowLoopback ?? true, rules);
  }

  rulesOf(): NetworkRules {
    return {
      allowedHosts: this.describe(),
      allowLoopback: this.allowLoopback,
      allowPrivate: this.allowPrivate,
      ...(this.applicationRules ? { applicationHosts: this.applicationRules.map(describeRule) } : {}),
    };
  }

  /**
   * The policy of a run of the application at `url`: its origin joins the allowed hosts, but only when the
   * application hosts allow it, and never past the address rules (`169.254.169.254` stays refused).
   */
  withOrigin(url: string): UrlPolicy {
    const parsed = this.checkShape(url);
    const host = parsed.hostname.toLowerCase();
    const port = portOf(parsed);
    const listed = matches(this.rules, host, port);
    const targets = this.applicationRules;
    const target = targets ? matches(targets, host, port) : this.allowLoopback;
    if (!listed && !target && !(this.allowLoopback && isLoopback(host))) {
      const list = (targets ?? this.rules).map(describeRule);
      throw new UrlRefusedError(
        url,
        `host ${parsed.host} is not an application host (${list.length ? list.join(", ") : "none configured"}); add it to TESTDRIVER_APPLICATION_HOSTS`,
      );
    }
    const next = new UrlPolicy([...this.describe(), parsed.host], this.allowLoopback, this.rulesOf());
    next.check(url);
    return next;
  }

  describe(): string[] {
    return this.rules.map(describeRule);
  }

  private checkShape(url: string): URL {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UrlRefusedError(url, "not an absolute URL");
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      throw new UrlRefusedError(url, `only http and https are allowed, not ${parsed.protocol}`);
    }
    if (parsed.username || parsed.password) {
      throw new UrlRefusedError(url, "credentials in URLs are not allowed");
    }
    return parsed;
  }

  /** Throws UrlRefusedError unless the URL may be opened (by its name; and its address when it is one). */
  check(url: string): URL {
    const parsed = this.checkShape(url);
    const host = parsed.hostname.toLowerCase();
    if (classifyIp(host) !== undefined) this.checkAddress(url, host);
    if (isLoopback(host)) {
      if (this.allowLoopback) return parsed;
      throw new UrlRefusedError(
        url,
        "loopback is reachable only in local mode (TESTDRIVER_NETWORK_MODE=local)",
      );
    }
    if (!matches(this.rules, host, portOf(parsed))) {
      const list = this.describe();
      throw new UrlRefusedError(
        url,
        `host ${host} is not in the allow-list (${list.length ? list.join(", ") : this.allowLoopback ? "loopback only" : "empty"}); add it to TESTDRIVER_ALLOWED_HOSTS`,
      );
    }
    return parsed;
  }

  /** Throws UrlRefusedError unless `address` (what the URL's host resolved to, or its literal) may be reached. */
  checkAddress(url: string, address: string): void {
    const kind = classifyIp(address);
    const ip = normalizeIp(address) ?? address;
    const what = (label: string) => `${ip} is ${label}`;
    if (kind === undefined) throw new UrlRefusedError(url, `${address} is not an IP address`);
    if (NEVER.has(kind)) {
      throw new UrlRefusedError(
        url,
        `${what(`a ${kind} address`)}, which is never reachable from the browser`,
      );
    }
    if (kind === "private" && !this.allowPrivate) {
      throw new UrlRefusedError(
        url,
        `${what("a private address")}; set TESTDRIVER_ALLOW_PRIVATE_NETWORKS=true to let runs reach private ranges`,
      );
    }
    if (kind === "loopback" && !this.allowLoopback) {
      throw new UrlRefusedError(
        url,
        `${what("loopback")}, reachable only in local mode (TESTDRIVER_NETWORK_MODE=local)`,
      );
    }
  }

  allows(url: string): boolean {
    try {
      this.check(url);
      return true;
    } catch {
      return false;
    }
  }
}

function portOf(url: URL): string {
  return url.port || (url.protocol === "https:" ? "443" : "80");
}

function matches(rules: Rule[], hostname: string, port: string): boolean {
  const host = normalizeIp(hostname) ?? hostname.replace(/\.$/, "");
  return rules.some((rule) => {
    if (rule.port && rule.port !== port) return false;
    return rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host;
  });
}
