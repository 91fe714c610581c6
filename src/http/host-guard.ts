import type { FastifyRequest } from "fastify";
import { normalizeIp } from "../domain/network/ip.js";
import { isLoopback } from "../domain/network/policy.js";
import { HttpError } from "./route.js";

/** The names this service answers to besides loopback: where it listens, and the operator's public names. */
export interface HostRules {
  /** TESTDRIVER_HOST, unless it is an unspecified address (0.0.0.0, ::), which names no host. */
  listenHost?: string;
  /** TESTDRIVER_PUBLIC_HOSTS: "testdriver.example.com" (any port) or "testdriver.example.com:443". */
  publicHosts?: string[];
}

/** Host and port of a Host header or an Origin's authority, names lower-cased and addresses normalised. */
function split(authority: string): { host: string; port: string | undefined } | undefined {
  try {
    const url = new URL(`http://${authority}`);
    const bare = url.hostname.replace(/^\[|\]$/g, "");
    return { host: normalizeIp(bare) ?? bare.toLowerCase().replace(/\.$/, ""), port: url.port || undefined };
  } catch {
    return undefined;
  }
}

/**
 * Against DNS rebinding and cross-site requests (the MCP specification's guidance for local servers): a
 * request must name this service in its Host header, and a browser request from another origin must carry
 * an API key. Applies to every route, /mcp included.
 */
export function hostGuard(rules: HostRules) {
  const named = [rules.listenHost, ...(rules.publicHosts ?? [])]
    .filter((h): h is string => !!h && !["0.0.0.0", "::", "[::]"].includes(h))
    .map((h) => split(h))
    .filter((h) => h !== undefined);
  const allowed = (authority: string) => {
    const parts = split(authority);
    if (!parts) return false;
    if (isLoopback(parts.host)) return true;
    return named.some((n) => n.host === parts.host && (!n.port || n.port === parts.port));
  };

  return async (request: FastifyRequest, hasKey: boolean) => {
    const host = request.headers.host ?? "";
    if (!allowed(host)) {
      throw new HttpError(
        403,
        "host_refused",
        `this service does not answer to Host ${JSON.stringify(host)}; add the name to TESTDRIVER_PUBLIC_HOSTS if clients use it`,
      );
    }
    const origin = request.headers.origin;
    if (origin === undefined || hasKey) return;
    let originHost: string | undefined;
    try {
      originHost = origin === "null" ? undefined : new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (
      originHost === undefined ||
      split(originHost)?.host !== split(host)?.host ||
      split(originHost)?.port !== split(host)?.port
    ) {
      throw new HttpError(
        403,
        "origin_refused",
        `a request from the page at ${origin} needs an API key (Authorization: Bearer <key>); only this service's own pages may call it without one`,
      );
    }
  };
}
