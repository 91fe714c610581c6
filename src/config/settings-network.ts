import { z } from "zod";
import { bool, hostList, int, type Setting } from "./setting.js";

/** What the browser may reach, which Host the service answers to, and how long start-up may wait. */
export const NETWORK_SETTINGS: Setting[] = [
  {
    path: ["network", "mode"],
    env: "TESTDRIVER_NETWORK_MODE",
    allowed: "local, shared",
    schema: z.enum(["local", "shared"]).default("local"),
    description:
      "local: the browser may reach loopback and any application host the person running TestDriver names. shared: loopback is never reachable and a run may target only TESTDRIVER_APPLICATION_HOSTS (or, when unset, TESTDRIVER_ALLOWED_HOSTS).",
  },
  {
    path: ["network", "applicationHosts"],
    env: "TESTDRIVER_APPLICATION_HOSTS",
    allowed: "comma-separated hosts: example.com, example.com:8443, *.example.com",
    schema: hostList.optional(),
    description:
      "Hosts a run may target (its application_url). Unset: any host in local mode, the allowed hosts in shared mode.",
  },
  {
    path: ["network", "allowPrivate"],
    env: "TESTDRIVER_ALLOW_PRIVATE_NETWORKS",
    allowed: "true, false, 1, 0",
    schema: bool.default(false),
    description:
      "Let the browser reach private addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) of allowed hosts. Link-local and metadata addresses stay unreachable.",
  },
  {
    path: ["server", "publicHosts"],
    env: "TESTDRIVER_PUBLIC_HOSTS",
    allowed: "comma-separated host names (with :port to pin a port)",
    schema: hostList.default([]),
    description:
      "Host headers the HTTP API and /mcp answer to besides loopback and TESTDRIVER_HOST (the names clients use behind a proxy or ingress). Other Host headers are refused, against DNS rebinding.",
  },
  {
    path: ["store", "connectTimeoutMs"],
    env: "TESTDRIVER_DB_CONNECT_TIMEOUT_MS",
    allowed: "a whole number of milliseconds from 100 to 600000",
    schema: int(100, 600_000).default(10_000),
    description:
      "How long start-up waits for PostgreSQL to answer before it gives up, saying what (if anything) answered at DATABASE_URL.",
  },
];
