import { lookup } from "node:dns/promises";
import { normalizeIp } from "../../domain/network/ip.js";

/** The addresses a host name resolves to. */
export type Resolver = (hostname: string) => Promise<string[]>;

/** The system's resolver (getaddrinfo, so /etc/hosts counts). */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

/**
 * A resolver that answers some names itself and asks `fallback` for the rest: for tests (names that resolve to
 * link-local or private addresses without touching real DNS) and for operators who pin names.
 */
export function overrideResolver(
  names: Record<string, string[]>,
  fallback: Resolver = systemResolver,
): Resolver {
  const table = new Map(Object.entries(names).map(([name, ips]) => [name.toLowerCase(), ips]));
  return async (hostname) => table.get(hostname.toLowerCase()) ?? fallback(hostname);
}

/** An IP literal needs no resolving; a name is resolved by `resolver`. */
export async function addressesOf(hostname: string, resolver: Resolver): Promise<string[]> {
  const literal = normalizeIp(hostname);
  return literal ? [literal] : resolver(hostname);
}
