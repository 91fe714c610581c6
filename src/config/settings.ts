import { z } from "zod";

/**
 * Every setting once: where it lives in testdriver.config.yaml, its environment variable, its schema and
 * what it is for. The loader, `testdriver config` and the README's reference are all made from this table.
 */
export interface Setting {
  path: readonly string[];
  env: string;
  schema: z.ZodType;
  description: string;
  /** What a valid value looks like, for error messages and the reference. */
  allowed: string;
  /** The default as a person would write it, where the parsed form reads badly. */
  defaultText?: string;
  secret?: boolean;
}

const bool = z.union([
  z.boolean(),
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1"),
]);
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

export const SETTINGS: Setting[] = [
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
    schema: z
      .union([
        z.array(z.string()),
        z.string().transform((v) =>
          v
            .split(",")
            .map((h) => h.trim())
            .filter(Boolean),
        ),
      ])
      .default([]),
    description: "Hosts a run may navigate to besides loopback and the application under test.",
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
  {
    path: ["quality", "failOnAccessibility"],
    env: "TESTDRIVER_FAIL_ON_ACCESSIBILITY",
    allowed: "none, serious, critical",
    schema: z.enum(["none", "serious", "critical"]).default("none"),
    description:
      "With accessibility in a plan's scope, fail the step that reveals violations of this impact or worse that earlier runs did not have.",
  },
  {
    path: ["quality", "failOnBudget"],
    env: "TESTDRIVER_FAIL_ON_BUDGET",
    allowed: "true, false, 1, 0",
    schema: bool.default(false),
    description:
      "With performance in a plan's scope, fail the step whose page load breaks a budget (otherwise a warning).",
  },
  {
    path: ["quality", "budgets"],
    env: "TESTDRIVER_PERFORMANCE_BUDGETS",
    defaultText: "fcp_ms=2000,lcp_ms=2500,cls=0.1,tti_ms=3500",
    allowed: "comma-separated METRIC=NUMBER for fcp_ms, lcp_ms, cls, tti_ms (the others keep their defaults)",
    schema: z
      .string()
      .transform((v, ctx) => {
        const budgets = { fcp_ms: 2000, lcp_ms: 2500, cls: 0.1, tti_ms: 3500 };
        for (const part of v
          .split(",")
          .map((p) => p.trim())
          .filter(Boolean)) {
          const [key, raw] = part.split("=") as [string, string | undefined];
          const value = Number(raw);
          if (!(key in budgets) || raw === undefined || !Number.isFinite(value) || value < 0) {
            ctx.addIssue({ code: "custom", message: `bad budget ${JSON.stringify(part)}` });
            return z.NEVER;
          }
          budgets[key as keyof typeof budgets] = value;
        }
        return budgets;
      })
      .default({ fcp_ms: 2000, lcp_ms: 2500, cls: 0.1, tti_ms: 3500 }),
    description: "Performance budgets for runs with performance in scope (the spec's defaults otherwise).",
  },
  {
    path: ["mcp", "tokenBudget"],
    env: "TESTDRIVER_MCP_TOKEN_BUDGET",
    allowed: "a whole number from 200 to 100000",
    schema: int(200, 100_000).default(1500),
    description:
      "About how many tokens a page observation in an MCP tool result may take; the full accessibility tree only on request.",
  },
  {
    path: ["kafka", "brokers"],
    env: "KAFKA_BROKERS",
    allowed: "comma-separated host:port pairs",
    schema: z
      .string()
      .transform((v) =>
        v
          .split(",")
          .map((b) => b.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, "each broker must be host:port")))
      .optional(),
    description: "Kafka brokers for `testdriver relay kafka` and `testdriver consume analytics`.",
  },
  {
    path: ["kafka", "topic"],
    env: "TESTDRIVER_KAFKA_TOPIC",
    allowed: "a Kafka topic name",
    schema: z
      .string()
      .regex(/^[a-zA-Z0-9._-]{1,200}$/, "letters, digits, '.', '_' and '-'")
      .default("testdriver.events"),
    description: "Topic the relay publishes events to (or the prefix of per-stream-type topics).",
  },
  {
    path: ["kafka", "topicPerStreamType"],
    env: "TESTDRIVER_KAFKA_TOPIC_PER_STREAM_TYPE",
    allowed: "true, false, 1, 0",
    schema: bool.default(false),
    description: "Publish each stream type to its own topic, `<topic>.<stream type>` (run, locators, ...).",
  },
  {
    path: ["models", "baseUrl"],
    env: "OPENAI_BASE_URL",
    allowed: "an http(s) URL of an OpenAI-compatible API",
    schema: z.url({ protocol: /^https?$/ }).optional(),
    description:
      "Endpoint of the model planner and the openai vision adapter (OpenAI's by default; vLLM and other compatible servers work).",
  },
  {
    path: ["models", "apiKey"],
    env: "OPENAI_API_KEY",
    allowed: "an API key",
    schema: z.string().min(1).optional(),
    description: "API key for that endpoint.",
    secret: true,
  },
  {
    path: ["vision", "adapter"],
    env: "TESTDRIVER_VISION",
    allowed: "accessibility, openai, ollama",
    schema: z.enum(["accessibility", "openai", "ollama"]).default("accessibility"),
    description:
      "Vision adapter: accessibility (no model: the accessibility tree, local OCR and embeddings), openai (any OpenAI-compatible API) or ollama.",
  },
  {
    path: ["vision", "fallback"],
    env: "TESTDRIVER_VISION_FALLBACK",
    allowed: "accessibility, openai, ollama, none",
    schema: z.enum(["accessibility", "openai", "ollama", "none"]).default("accessibility"),
    description:
      "Adapter the module manager switches to when the vision adapter fails (none: no switching). Ignored when it names the vision adapter itself.",
  },
  {
    path: ["vision", "model"],
    env: "TESTDRIVER_VISION_MODEL",
    allowed: "a model name",
    schema: z.string().min(1).optional(),
    defaultText: "gpt-4o-mini (openai), llava (ollama)",
    description: "Vision model the openai or ollama adapter asks.",
  },
  {
    path: ["vision", "ollamaHost"],
    env: "OLLAMA_HOST",
    allowed: "an http(s) URL",
    schema: z.url({ protocol: /^https?$/ }).default("http://127.0.0.1:11434"),
    description: "Ollama's address.",
  },
  {
    path: ["vision", "ollamaEmbeddingModel"],
    env: "TESTDRIVER_OLLAMA_EMBEDDING_MODEL",
    allowed: "a model name",
    schema: z.string().min(1).optional(),
    description:
      "Text-embedding model for the ollama adapter's semantic screen embeddings (the description's embedding, 512 dimensions). Without it, embeddings are perceptual and local.",
  },
  {
    path: ["vision", "embeddingModelPath"],
    env: "TESTDRIVER_EMBEDDING_MODEL",
    allowed: "a path to an image-embedding .onnx file",
    schema: z.string().min(1).optional(),
    defaultText: "the bundled perceptual model",
    description:
      "ONNX image-embedding model (CLIP's vision tower and the like, 512 outputs to be stored for similarity search).",
  },
  {
    path: ["vision", "timeoutMs"],
    env: "TESTDRIVER_VISION_TIMEOUT_MS",
    allowed: "1000 to 600000",
    schema: int(1000, 600_000).default(30_000),
    description: "Time limit of one call to a vision model.",
  },
  {
    path: ["vision", "retries"],
    env: "TESTDRIVER_VISION_RETRIES",
    allowed: "0 to 10",
    schema: int(0, 10).default(2),
    description: "Retries of a failed vision call (rate limits, timeouts, server errors), with backoff.",
  },
  {
    path: ["vision", "cacheTtlS"],
    env: "TESTDRIVER_VISION_CACHE_TTL_S",
    allowed: "0 to 2592000 (0 turns the cache off)",
    schema: int(0, 2_592_000).default(86_400),
    description: "How long a vision model's answer is reused for the same image, question and model.",
  },
  {
    path: ["modules", "healthIntervalS"],
    env: "TESTDRIVER_HEALTH_CHECK_INTERVAL_S",
    allowed: "0 to 86400 (0: no periodic checks)",
    schema: int(0, 86_400).default(60),
    description: "How often the module manager checks the vision adapters' health.",
  },
  {
    path: ["modules", "switchThreshold"],
    env: "TESTDRIVER_ADAPTER_SWITCH_THRESHOLD",
    allowed: "a number from 0 to 1",
    schema: z.coerce.number().min(0).max(1).default(0.05),
    description:
      "Error rate (over the last 20 calls) above which the module manager switches to the fallback.",
  },
  {
    path: ["modules", "breakerThreshold"],
    env: "TESTDRIVER_CIRCUIT_BREAKER_THRESHOLD",
    allowed: "1 to 1000",
    schema: int(1, 1000).default(5),
    description: "Failures in a row after which the module manager switches to the fallback.",
  },
  {
    path: ["modules", "breakerCooldownS"],
    env: "TESTDRIVER_CIRCUIT_BREAKER_COOLDOWN_S",
    allowed: "1 to 86400",
    schema: int(1, 86_400).default(30),
    description: "How long the fallback serves before one call tries the primary again (half-open).",
  },
  {
    path: ["models", "planner"],
    env: "TESTDRIVER_PLANNER_MODEL",
    allowed: "a model name",
    schema: z.string().min(1).default("gpt-4o-mini"),
    description: "Model the model planner asks for plans (`testdriver run --planner model`).",
  },
];
