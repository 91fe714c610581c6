export class UrlRefusedError extends Error {
  override readonly name = "UrlRefusedError";
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`navigation to ${url} refused: ${reason}`);
  }
}

export class ScriptsDisabledError extends Error {
  override readonly name = "ScriptsDisabledError";
  constructor() {
    super(
      "execute_script is disabled: set TESTDRIVER_ALLOW_SCRIPTS=true (browser.allowScripts) to let plans and agents run JavaScript in the page",
    );
  }
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** A loopback host name as URL.hostname gives it ("[::1]") or as written ("::1"). */
export function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname.endsWith(".localhost");
}

/**
 * Which URLs a session may open, so that an agent cannot turn the browser against internal services: only
 * http(s), only loopback and the allowed hosts. An allowed host is "example.com" (that host, any port),
 * "example.com:8443" (that port only) or "*.example.com" (its subdomains).
 */
export class UrlPolicy {
  private readonly rules: { host: string; port?: string; wildcard: boolean }[];

  constructor(
    allowedHosts: string[] = [],
    private readonly allowLoopback = true,
  ) {
    this.rules = allowedHosts.map((entry) => {
      const trimmed = entry.trim().toLowerCase();
      const withoutScheme = trimmed.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
      const wildcard = withoutScheme.startsWith("*.");
      const hostPort = wildcard ? withoutScheme.slice(2) : withoutScheme;
      const match = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(?::(\d+))?$/.exec(hostPort);
      if (!match?.[1]) throw new TypeError(`allowed host ${JSON.stringify(entry)} is not a host name`);
      return { host: match[1], port: match[3], wildcard };
    });
  }

  /** A policy that also allows the origin of the application under test. */
  withOrigin(url: string): UrlPolicy {
    const parsed = new URL(url);
    return new UrlPolicy([...this.describe(), parsed.host], this.allowLoopback);
  }

  describe(): string[] {
    return this.rules.map((r) => `${r.wildcard ? "*." : ""}${r.host}${r.port ? `:${r.port}` : ""}`);
  }

  /** Throws UrlRefusedError unless the URL may be opened. */
  check(url: string): URL {
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
    const host = parsed.hostname.toLowerCase();
    if (this.allowLoopback && isLoopback(host)) return parsed;
    const port = parsed.port || (parsed.protocol === "https:" ? "443" : "80");
    const allowed = this.rules.some((rule) => {
      if (rule.port && rule.port !== port) return false;
      return rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host;
    });
    if (!allowed) {
      const list = this.describe();
      throw new UrlRefusedError(
        url,
        `host ${host} is not in the allow-list (${list.length ? list.join(", ") : "loopback only"}); add it to TESTDRIVER_ALLOWED_HOSTS`,
      );
    }
    return parsed;
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
