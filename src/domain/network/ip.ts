/**
 * What an IP address is, for the network policy: the decision is made on the address a name resolves to,
 * not only on the name, so a name cannot smuggle the browser to the metadata service or the intranet.
 */
export type AddressClass =
  | "loopback"
  | "private"
  | "link-local"
  | "metadata"
  | "unspecified"
  | "broadcast"
  | "multicast"
  | "public";

/** Addresses cloud providers serve instance metadata (and credentials) on. */
const METADATA_TEXT = ["169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "192.0.0.192"];

/** Bytes of a dotted IPv4 address, or undefined when it is not one. */
function ipv4Bytes(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail included), or undefined. */
function ipv6Groups(text: string): number[] | undefined {
  let head = text.toLowerCase();
  const zone = head.indexOf("%");
  if (zone >= 0) head = head.slice(0, zone);
  if (!/^[0-9a-f:.]+$/.test(head) || !head.includes(":")) return undefined;
  const lastColon = head.lastIndexOf(":");
  const last = head.slice(lastColon + 1);
  if (last.includes(".")) {
    // An embedded IPv4 tail (::ffff:127.0.0.1) is two groups written in dotted form.
    const v4 = ipv4Bytes(last);
    if (!v4) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = v4;
    head = `${head.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string) =>
    s === ""
      ? []
      : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const left = parse(halves[0] ?? "");
  const right = halves.length === 2 ? parse(halves[1] ?? "") : [];
  let groups = left;
  if (halves.length === 2) {
    const fill = 8 - left.length - right.length;
    if (fill < 1) return undefined;
    groups = [...left, ...new Array<number>(fill).fill(0), ...right];
  }
  return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : undefined;
}

/**
 * The canonical text of an IP address: brackets dropped, IPv4 written in dotted form and IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`, `::ffff:7f00:1`) folded to the IPv4 address it reaches; undefined for a name.
 */
export function normalizeIp(host: string): string | undefined {
  const bare = host.replace(/^\[|\]$/g, "");
  const v4 = ipv4Bytes(bare);
  if (v4) return v4.join(".");
  const g = ipv6Groups(bare);
  if (!g) return undefined;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return [(g[6] ?? 0) >> 8, (g[6] ?? 0) & 255, (g[7] ?? 0) >> 8, (g[7] ?? 0) & 255].join(".");
  }
  return g.map((x) => x.toString(16)).join(":");
}

function classifyV4([a = 0, b = 0, c = 0, d = 0]: number[]): AddressClass {
  if (a === 0) return "unspecified"; // 0.0.0.0/8: "this network", reaches the local host on Linux
  if (a === 127) return "loopback";
  if (a === 255 && b === 255 && c === 255 && d === 255) return "broadcast";
  if (a === 169 && b === 254) return "link-local";
  if (a >= 224 && a <= 239) return "multicast";
  if (a >= 240) return "broadcast"; // reserved, including the limited broadcast address
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return "private";
  if (a === 100 && b >= 64 && b <= 127) return "private"; // carrier-grade NAT, shared address space
  if (a === 198 && (b === 18 || b === 19)) return "private"; // benchmarking networks
  return "public";
}

let metadata: Set<string> | undefined;

/** The class of an IP address (after normalisation); undefined when `host` is not an address. */
export function classifyIp(host: string): AddressClass | undefined {
  const ip = normalizeIp(host);
  if (ip === undefined) return undefined;
  metadata ??= new Set(METADATA_TEXT.map((text) => normalizeIp(text) ?? text));
  if (metadata.has(ip)) return "metadata";
  const v4 = ipv4Bytes(ip);
  if (v4) return classifyV4(v4);
  const g = ipv6Groups(ip) ?? [];
  const [first = 0] = g;
  if (g.every((x) => x === 0)) return "unspecified";
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "loopback";
  if ((first & 0xffc0) === 0xfe80) return "link-local";
  if ((first & 0xff00) === 0xff00) return "multicast";
  if ((first & 0xfe00) === 0xfc00) return "private"; // unique local fc00::/7
  if ((first & 0xffc0) === 0xfec0) return "private"; // deprecated site-local
  // NAT64 and 6to4 embed an IPv4 address that decides where the packet ends up.
  if (first === 0x64 && g[1] === 0xff9b) {
    return classifyV4([(g[6] ?? 0) >> 8, (g[6] ?? 0) & 255, (g[7] ?? 0) >> 8, (g[7] ?? 0) & 255]);
  }
  if (first === 0x2002)
    return classifyV4([(g[1] ?? 0) >> 8, (g[1] ?? 0) & 255, (g[2] ?? 0) >> 8, (g[2] ?? 0) & 255]);
  return "public";
}
