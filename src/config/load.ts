import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseDocument } from "yaml";
import { SETTINGS } from "./settings.js";

export interface Config {
  store: {
    kind: "pglite" | "postgres" | "esdb";
    databaseUrl?: string;
    esdbUrl?: string;
    dataDir: string;
    poolSize: number;
    idleInTransactionTimeoutMs: number;
    leaseTtlMs: number;
    autoMigrate: boolean;
    connectTimeoutMs: number;
  };
  log: { level: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent" };
  server: { host: string; port: number; publicHosts: string[] };
  network: { mode: "local" | "shared"; applicationHosts?: string[]; allowPrivate: boolean };
  browser: {
    driver: "playwright" | "webdriverio";
    chromiumPath: string;
    chromedriverPath: string;
    webdriverUrl?: string;
    playwrightWsEndpoint?: string;
    playwrightCdpUrl?: string;
    headless: boolean;
    maxSessions: number;
    allowedHosts: string[];
    allowScripts: boolean;
    stepTimeoutMs: number;
    screenshots: "all" | "on_failure";
    viewport: { width: number; height: number };
  };
  mcp: {
    tokenBudget: number;
    maxSessions: number;
    idleSeconds: number;
    tools: "core" | "all";
    warmBrowser: boolean;
  };
  quality: {
    failOnAccessibility: "none" | "serious" | "critical";
    failOnBudget: boolean;
    budgets: { fcp_ms: number; lcp_ms: number; cls: number; tti_ms: number };
  };
  kafka: { brokers?: string[]; topic: string; topicPerStreamType: boolean };
  models: { baseUrl?: string; apiKey?: string; planner: string };
  vision: {
    adapter: "accessibility" | "openai" | "ollama";
    fallback: "accessibility" | "openai" | "ollama" | "none";
    model?: string;
    ollamaHost: string;
    ollamaEmbeddingModel?: string;
    embeddingModelPath?: string;
    timeoutMs: number;
    retries: number;
    cacheTtlS: number;
  };
  modules: {
    healthIntervalS: number;
    switchThreshold: number;
    breakerThreshold: number;
    breakerCooldownS: number;
  };
  /** Where each value came from: "default", "env NAME" or "FILE: a.b". */
  sources: Record<string, string>;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export const DEFAULT_CONFIG_FILE = "testdriver.config.yaml";

function show(value: unknown, secret?: boolean): string {
  if (secret) return "(hidden)";
  return typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
}

function lookup(tree: unknown, path: readonly string[]): unknown {
  let node = tree;
  for (const key of path) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** A config file; defaults to TESTDRIVER_CONFIG, then ./testdriver.config.yaml if present. */
  file?: string;
  cwd?: string;
}

/** Reads the file and the environment (which wins), validates every setting, and reports all problems at once. */
export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env.TESTDRIVER_CONFIG;
  const file = explicit ? resolve(cwd, explicit) : resolve(cwd, DEFAULT_CONFIG_FILE);
  const problems: string[] = [];
  let tree: unknown = {};
  if (existsSync(file)) {
    const doc = parseDocument(readFileSync(file, "utf8"));
    if (doc.errors.length > 0) {
      throw new ConfigError(doc.errors.map((e) => `${file}: ${e.message}`));
    }
    tree = doc.toJS() ?? {};
    const known = new Set(SETTINGS.map((s) => s.path.join(".")));
    const walk = (node: unknown, prefix: string[]) => {
      if (node === null || typeof node !== "object" || Array.isArray(node)) return;
      for (const [key, value] of Object.entries(node)) {
        const path = [...prefix, key];
        const isSection = SETTINGS.some((s) => s.path.length > path.length && s.path[0] === key);
        if (known.has(path.join("."))) continue;
        if (isSection && prefix.length === 0) walk(value, path);
        else problems.push(`${file}: ${path.join(".")} is not a known setting`);
      }
    };
    walk(tree, []);
  } else if (explicit) {
    throw new ConfigError([
      `config file ${file} (from ${options.file ? "--config" : "TESTDRIVER_CONFIG"}) does not exist`,
    ]);
  }

  const out: Record<string, Record<string, unknown>> = {};
  const sources: Record<string, string> = {};
  for (const setting of SETTINGS) {
    const key = setting.path.join(".");
    const fromEnv = env[setting.env];
    const fromFile = lookup(tree, setting.path);
    const [raw, source] =
      fromEnv !== undefined && fromEnv !== ""
        ? [fromEnv, `env ${setting.env}`]
        : fromFile !== undefined
          ? [fromFile, `${file}: ${key}`]
          : [undefined, "default"];
    const parsed = setting.schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push(
          `${source === "default" ? key : source} = ${show(raw, setting.secret)}: ${issue.message.toLowerCase()}; allowed: ${setting.allowed}`,
        );
      }
      continue;
    }
    const [section, name] = setting.path as [string, string];
    out[section] ??= {};
    out[section][name] = parsed.data;
    sources[key] = source;
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const store = out.store as Config["store"];
  store.kind ??= store.databaseUrl ? "postgres" : "pglite";
  if (store.kind === "postgres" && !store.databaseUrl) {
    throw new ConfigError([
      `${sources["store.kind"]} = "postgres": needs DATABASE_URL (or store.databaseUrl in ${DEFAULT_CONFIG_FILE})`,
    ]);
  }
  if (store.kind === "esdb" && !store.esdbUrl) {
    throw new ConfigError([
      `${sources["store.kind"]} = "esdb": needs ESDB_URL (or store.esdbUrl in ${DEFAULT_CONFIG_FILE})`,
    ]);
  }
  const browser = out.browser as Config["browser"];
  if (browser.playwrightWsEndpoint && browser.playwrightCdpUrl) {
    throw new ConfigError([
      `${sources["browser.playwrightWsEndpoint"]} and ${sources["browser.playwrightCdpUrl"]}: give one way for Playwright to reach a remote browser, not both`,
    ]);
  }
  const network = out.network as Config["network"];
  const remote = remoteBrowserSetting(browser, sources);
  if (network.mode === "shared" && remote) {
    throw new ConfigError([
      `${remote} with ${sources["network.mode"]} = "shared": a remote browser does not go through TestDriver's network gate, so nothing stops its pages from reaching other hosts; run the browser locally (unset ${remote.split(" ").pop()}) or use local mode on a trusted network`,
    ]);
  }
  store.dataDir = resolve(cwd, store.dataDir);
  return {
    store,
    log: out.log as Config["log"],
    server: out.server as Config["server"],
    network,
    browser,
    mcp: out.mcp as Config["mcp"],
    quality: out.quality as Config["quality"],
    kafka: out.kafka as Config["kafka"],
    models: out.models as Config["models"],
    vision: out.vision as Config["vision"],
    modules: out.modules as Config["modules"],
    sources,
  };
}

/** Where the remote browser setting came from ("env TESTDRIVER_WEBDRIVER_URL"), when one is set. */
export function remoteBrowserSetting(
  browser: Config["browser"],
  sources: Record<string, string>,
): string | undefined {
  if (browser.webdriverUrl) return sources["browser.webdriverUrl"];
  if (browser.playwrightWsEndpoint) return sources["browser.playwrightWsEndpoint"];
  if (browser.playwrightCdpUrl) return sources["browser.playwrightCdpUrl"];
  return undefined;
}

/** The effective configuration with secrets hidden, for `testdriver config`. */
export function describeConfig(config: Config): Record<string, { value: unknown; source: string }> {
  const result: Record<string, { value: unknown; source: string }> = {};
  for (const setting of SETTINGS) {
    const key = setting.path.join(".");
    const value = lookup(config, setting.path);
    result[key] = {
      value: setting.secret && value !== undefined ? "(hidden)" : value,
      source: config.sources[key] ?? "default",
    };
  }
  return result;
}
