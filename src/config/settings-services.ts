import { z } from "zod";
import { bool, int, type Setting } from "./setting.js";

/** Quality gates, the MCP budget, Kafka, models, vision and the modules' health. */
export const SERVICE_SETTINGS: Setting[] = [
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
    path: ["mcp", "maxSessions"],
    env: "TESTDRIVER_MCP_MAX_SESSIONS",
    allowed: "a whole number from 1 to 100000",
    schema: int(1, 100_000).default(200),
    description:
      "MCP sessions over HTTP (/mcp) open at once; an initialize beyond it is refused (503) once idle ones are closed.",
  },
  {
    path: ["mcp", "idleSeconds"],
    env: "TESTDRIVER_MCP_IDLE_SECONDS",
    allowed: "a whole number of seconds from 1 to 604800",
    schema: int(1, 604_800).default(900),
    description: "An MCP session over HTTP unused this long is closed.",
  },
  {
    path: ["mcp", "tools"],
    env: "TESTDRIVER_MCP_TOOLS",
    allowed: "core, all",
    schema: z.enum(["core", "all"]).default("core"),
    description:
      "The tools `testdriver mcp` lists: core drives and checks a test; all adds healing, replay, snapshots, baselines, metrics and health (`--tools` overrides).",
  },
  {
    path: ["mcp", "warmBrowser"],
    env: "TESTDRIVER_MCP_WARM_BROWSER",
    allowed: "true, false, 1, 0",
    schema: bool.default(true),
    description:
      "`testdriver mcp` starts the browser while the client is still listing tools, so the first start_test does not wait for it (one idle Chromium if no test runs).",
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
