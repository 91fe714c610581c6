import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, describeConfig, loadConfig } from "../../src/config/load.js";

const dir = () => mkdtempSync(join(tmpdir(), "td-config-"));

describe("configuration", () => {
  it("defaults to the embedded store under ./.testdriver, on loopback", () => {
    const cwd = dir();
    const config = loadConfig({ env: {}, cwd });
    expect(config.store).toMatchObject({
      kind: "pglite",
      dataDir: join(cwd, ".testdriver"),
      autoMigrate: true,
    });
    expect(config.server).toEqual({ host: "127.0.0.1", port: 8080, publicHosts: [] });
    expect(config.log.level).toBe("info");
  });

  it("takes remote browser endpoints, checked, hidden when shown, and one Playwright endpoint at most", () => {
    const env = {
      TESTDRIVER_WEBDRIVER_URL: "http://user:key@selenium-hub:4444/wd/hub",
      TESTDRIVER_PLAYWRIGHT_CDP_URL: "http://chrome:9222",
    };
    const config = loadConfig({ env, cwd: dir() });
    expect(config.browser).toMatchObject({
      webdriverUrl: env.TESTDRIVER_WEBDRIVER_URL,
      playwrightCdpUrl: env.TESTDRIVER_PLAYWRIGHT_CDP_URL,
    });
    expect(describeConfig(config)["browser.webdriverUrl"]!.value).toBe("(hidden)");
    expect(() =>
      loadConfig({ env: { TESTDRIVER_PLAYWRIGHT_WS_ENDPOINT: "http://browserless:3000" }, cwd: dir() }),
    ).toThrow(/TESTDRIVER_PLAYWRIGHT_WS_ENDPOINT = \(hidden\): must be a ws:\/\/ or wss:\/\/ url/);
    expect(() =>
      loadConfig({ env: { ...env, TESTDRIVER_PLAYWRIGHT_WS_ENDPOINT: "ws://browserless:3000" }, cwd: dir() }),
    ).toThrow(/TESTDRIVER_PLAYWRIGHT_WS_ENDPOINT and env TESTDRIVER_PLAYWRIGHT_CDP_URL: give one way/);
  });

  it("chooses PostgreSQL when DATABASE_URL is set", () => {
    const config = loadConfig({ env: { DATABASE_URL: "postgres://u:p@db:5432/td" }, cwd: dir() });
    expect(config.store.kind).toBe("postgres");
  });

  it("reads testdriver.config.yaml, and the environment wins over it", () => {
    const cwd = dir();
    writeFileSync(
      join(cwd, "testdriver.config.yaml"),
      "server:\n  port: 9000\n  host: 0.0.0.0\nlog:\n  level: DEBUG\n",
    );
    const config = loadConfig({ env: { TESTDRIVER_PORT: "9100" }, cwd });
    expect(config.server).toEqual({ host: "0.0.0.0", port: 9100, publicHosts: [] });
    expect(config.log.level).toBe("debug");
    expect(config.sources["server.port"]).toBe("env TESTDRIVER_PORT");
    expect(config.sources["server.host"]).toMatch(/testdriver\.config\.yaml: server\.host$/);
  });

  it("names the key, the value and what is allowed for every bad value, all at once", () => {
    const attempt = () =>
      loadConfig({
        env: { TESTDRIVER_PORT: "http", TESTDRIVER_STORE: "mysql", TESTDRIVER_LOG_LEVEL: "loud" },
        cwd: dir(),
      });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const { problems } = error as ConfigError;
      expect(problems).toHaveLength(3);
      expect(problems).toContainEqual(
        expect.stringMatching(/^env TESTDRIVER_PORT = "http": .*allowed: a whole number from 0 to 65535/),
      );
      expect(problems).toContainEqual(
        expect.stringMatching(/^env TESTDRIVER_STORE = "mysql": .*allowed: pglite, postgres/),
      );
      expect(problems).toContainEqual(
        expect.stringMatching(/^env TESTDRIVER_LOG_LEVEL = "loud": .*allowed: fatal, error/),
      );
    }
  });

  it("reads performance budgets, keeping the spec's defaults for the ones not given", () => {
    expect(loadConfig({ env: {}, cwd: dir() }).quality.budgets).toEqual({
      fcp_ms: 2000,
      lcp_ms: 2500,
      cls: 0.1,
      tti_ms: 3500,
    });
    const config = loadConfig({
      env: { TESTDRIVER_PERFORMANCE_BUDGETS: "lcp_ms=1800, cls=0.05" },
      cwd: dir(),
    });
    expect(config.quality.budgets).toEqual({ fcp_ms: 2000, lcp_ms: 1800, cls: 0.05, tti_ms: 3500 });
    expect(() => loadConfig({ env: { TESTDRIVER_PERFORMANCE_BUDGETS: "speed=fast" }, cwd: dir() })).toThrow(
      /TESTDRIVER_PERFORMANCE_BUDGETS = "speed=fast": bad budget "speed=fast"/,
    );
  });

  it("hides secrets in errors and in the effective configuration", () => {
    expect(() => loadConfig({ env: { DATABASE_URL: "mysql://root:hunter2@x" }, cwd: dir() })).toThrow(
      /env DATABASE_URL = \(hidden\): .*allowed: a postgres:\/\//,
    );
    const shown = describeConfig(
      loadConfig({ env: { DATABASE_URL: "postgres://u:hunter2@db/td" }, cwd: dir() }),
    );
    expect(JSON.stringify(shown)).not.toContain("hunter2");
    expect(shown["store.databaseUrl"]).toEqual({ value: "(hidden)", source: "env DATABASE_URL" });
  });

  it("rejects unknown keys in the file and postgres without a URL", () => {
    const cwd = dir();
    writeFileSync(join(cwd, "testdriver.config.yaml"), "server:\n  prot: 1\nstore:\n  kind: postgres\n");
    expect(() => loadConfig({ env: {}, cwd })).toThrow(/server\.prot is not a known setting/);
    writeFileSync(join(cwd, "testdriver.config.yaml"), "store:\n  kind: postgres\n");
    expect(() => loadConfig({ env: {}, cwd })).toThrow(/"postgres": needs DATABASE_URL/);
  });

  it("reports YAML syntax errors and a missing explicit file", () => {
    const cwd = dir();
    writeFileSync(join(cwd, "bad.yaml"), "server: [1, 2\n");
    expect(() => loadConfig({ env: {}, cwd, file: "bad.yaml" })).toThrow(/bad\.yaml/);
    expect(() => loadConfig({ env: { TESTDRIVER_CONFIG: "nope.yaml" }, cwd })).toThrow(
      /nope\.yaml .*does not exist/,
    );
  });
});
