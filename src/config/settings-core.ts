import { z } from "zod";
import { bool, hostList, int, type Setting } from "./setting.js";

/** Where events are stored, what is logged, where the server listens, which browser runs. */
export const CORE_SETTINGS: Setting[] = [
  {
    path: ["store", "kind"],
    env: "TESTDRIVER_STORE",
    allowed: "pglite, postgres, esdb",
    schema: z.enum(["pglite", "postgres", "esdb"]).optional(),
    description:
      "Event store backend. Default: postgres when DATABASE_URL is set, else the embedded pglite. esdb keeps the log in EventStoreDB (ESDB_URL); it serves the log commands, while the engine and read models need pglite or postgres.",
  },
  {
    path: ["store", "esdbUrl"],
    env: "ESDB_URL",
    allowed: "an esdb:// or esdb+discover:// connection string",
    schema: z
      .string()
      .regex(/^esdb(\+discover)?:\/\//, "must be an esdb:// or esdb+discover:// connection string")
      .optional(),
    description: "EventStoreDB connection string for the esdb store (and its contract tests).",
    secret: true,
  },
  {
    path: ["store", "databaseUrl"],
    env: "DATABASE_URL",
    allowed: "a postgres:// or postgresql:// URL",
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    description: "PostgreSQL connection URL for the postgres store.",
    secret: true,
  },
  {
    path: ["store", "dataDir"],
    env: "TESTDRIVER_DATA_DIR",
    allowed: "a directory path",
    schema: z.string().min(1).default("./.testdriver"),
    description: "Directory of the embedded database (pgdata/) and the artifact blob store (blobs/).",
  },
  {
    path: ["store", "poolSize"],
    env: "TESTDRIVER_DB_POOL_SIZE",
    allowed: "a whole number from 1 to 200",
    schema: int(1, 200).default(10),
    description: "Connections in the PostgreSQL pool.",
  },
  {
    path: ["store", "leaseTtlMs"],
    env: "TESTDRIVER_LEASE_TTL_MS",
    allowed: "a whole number of milliseconds from 1000 to 600000",
    schema: int(1000, 600_000).default(30_000),
    description:
      "How long a worker's lease on a run holds without renewal; a run whose worker stays silent this long is taken over by another worker and resumed.",
  },
  {
    path: ["store", "idleInTransactionTimeoutMs"],
    env: "TESTDRIVER_IDLE_IN_TRANSACTION_TIMEOUT_MS",
    allowed: "a whole number of milliseconds from 1000 to 3600000",
    schema: int(1000, 3_600_000).default(60_000),
    description:
      "PostgreSQL ends a session idle inside a transaction after this long; such a transaction holds every log reader back.",
  },
  {
    path: ["store", "autoMigrate"],
    env: "TESTDRIVER_AUTO_MIGRATE",
    allowed: "true, false, 1, 0",
    schema: bool.default(true),
    description: "Apply pending migrations on start.",
  },
  {
    path: ["log", "level"],
    env: "TESTDRIVER_LOG_LEVEL",
    allowed: "fatal, error, warn, info, debug, trace, silent",
    schema: z
      .string()
      .transform((v) => v.toLowerCase())
      .pipe(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]))
      .default("info"),
    description: "Log level; logs are JSON lines on stderr.",
  },
  {
    path: ["server", "host"],
    env: "TESTDRIVER_HOST",
    allowed: "a host name or IP address",
    schema: z.string().min(1).default("127.0.0.1"),
    description: "Address the HTTP API and MCP endpoint listen on.",
  },
  {
    path: ["server", "port"],
    env: "TESTDRIVER_PORT",
    allowed: "a whole number from 0 to 65535 (0: any free port)",
    schema: int(0, 65535).default(8080),
    description: "Port of the HTTP API and MCP endpoint.",
  },
  {
    path: ["browser", "driver"],
    env: "TESTDRIVER_DRIVER",
    allowed: "playwright, webdriverio",
    schema: z.enum(["playwright", "webdriverio"]).default("playwright"),
    description: "Default browser framework for runs.",
  },
  {
    path: ["browser", "chromiumPath"],
    env: "TESTDRIVER_CHROMIUM_PATH",
    allowed: "a path to a Chromium executable",
    schema: z.string().min(1).default("/usr/bin/chromium"),
    description: "Chromium used by both frameworks (Debian's package by default; nothing is downloaded).",
  },
  {
    path: ["browser", "chromedriverPath"],
    env: "TESTDRIVER_CHROMEDRIVER_PATH",
    allowed: "a path to a ChromeDriver executable",
    schema: z.string().min(1).default("/usr/bin/chromedriver"),
    description: "ChromeDriver for the WebdriverIO driver.",
  },
  {
    path: ["browser", "webdriverUrl"],
    env: "TESTDRIVER_WEBDRIVER_URL",
    allowed: "an http(s) URL of a WebDriver server, e.g. http://selenium-hub:4444",
    schema: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).optional(),
    description:
      "WebdriverIO creates its sessions on this WebDriver server (a Selenium Grid 4, a ChromeDriver on a port, a cloud grid) with the Chrome it provides, instead of launching ChromeDriver and Chromium here. Credentials and tokens may be given in the URL.",
    secret: true,
  },
  {
    path: ["browser", "playwrightWsEndpoint"],
    env: "TESTDRIVER_PLAYWRIGHT_WS_ENDPOINT",
    allowed: "a ws:// or wss:// URL of a Playwright browser server",
    schema: z.url({ protocol: /^wss?$/, error: "must be a ws:// or wss:// URL" }).optional(),
    description:
      "Playwright connects to this browser server (chromium.launchServer, Browserless, Moon) instead of launching Chromium. Not with TESTDRIVER_PLAYWRIGHT_CDP_URL.",
    secret: true,
  },
  {
    path: ["browser", "playwrightCdpUrl"],
    env: "TESTDRIVER_PLAYWRIGHT_CDP_URL",
    allowed: "an http(s):// or ws(s):// URL of a Chromium DevTools endpoint",
    schema: z.url({ protocol: /^(https?|wss?)$/, error: "must be an http(s):// or ws(s):// URL" }).optional(),
    description:
      "Playwright connects over the DevTools protocol to a Chromium that runs elsewhere (--remote-debugging-port, Selenium Grid's se:cdp, Browserless) instead of launching one. Not with TESTDRIVER_PLAYWRIGHT_WS_ENDPOINT.",
    secret: true,
  },
  {
    path: ["browser", "headless"],
    env: "TESTDRIVER_HEADLESS",
    allowed: "true, false, 1, 0",
    schema: bool.default(true),
    description: "Run the browser without a window.",
  },
  {
    path: ["browser", "maxSessions"],
    env: "TESTDRIVER_MAX_SESSIONS",
    allowed: "a whole number from 1 to 100",
    schema: int(1, 100).default(5),
    description: "Browser sessions (test runs) at once; more wait in line.",
  },
  {
    path: ["browser", "allowedHosts"],
    env: "TESTDRIVER_ALLOWED_HOSTS",
    allowed: "comma-separated hosts: example.com, example.com:8443, *.example.com",
    schema: hostList.default([]),
    description:
      "Hosts pages may reach (every request passes the network gate) besides the application under test, and loopback in local mode.",
  },
  {
    path: ["browser", "allowScripts"],
    env: "TESTDRIVER_ALLOW_SCRIPTS",
    allowed: "true, false, 1, 0",
    schema: bool.default(false),
    description: "Let plans and agents run JavaScript in the page (execute_script).",
  },
  {
    path: ["browser", "stepTimeoutMs"],
    env: "TESTDRIVER_STEP_TIMEOUT_MS",
    allowed: "a whole number of milliseconds from 100 to 600000",
    schema: int(100, 600_000).default(30_000),
    description: "Longest a step may wait for its element or page before it fails.",
  },
  {
    path: ["browser", "viewport"],
    env: "TESTDRIVER_VIEWPORT",
    defaultText: "1280x720",
    allowed: "WIDTHxHEIGHT, e.g. 1280x720",
    schema: z
      .string()
      .regex(/^\d{2,5}x\d{2,5}$/, "must look like 1280x720")
      .transform((v) => {
        const [width, height] = v.split("x").map(Number) as [number, number];
        return { width, height };
      })
      .default({ width: 1280, height: 720 }),
    description: "Viewport of new browser sessions.",
  },
  {
    path: ["browser", "screenshots"],
    env: "TESTDRIVER_SCREENSHOTS",
    allowed: "all, on_failure",
    schema: z.enum(["all", "on_failure"]).default("all"),
    description:
      "Screenshot with every state snapshot (time travel shows each step) or only when a step fails (smaller blob store).",
  },
];
