import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config/load.js";
import { SETTINGS } from "../../src/config/settings.js";

const dir = () => mkdtempSync(join(tmpdir(), "td-config-"));

describe("network settings", () => {
  it("default to local mode: loopback reachable, no private ranges, any application host", () => {
    const config = loadConfig({ env: {}, cwd: dir() });
    expect(config.network).toEqual({ mode: "local", allowPrivate: false });
    expect(config.store.connectTimeoutMs).toBe(10_000);
  });

  it("read a shared service's lists from the environment", () => {
    const config = loadConfig({
      env: {
        TESTDRIVER_NETWORK_MODE: "shared",
        TESTDRIVER_APPLICATION_HOSTS: "app.example.com, *.staging.example.com",
        TESTDRIVER_ALLOW_PRIVATE_NETWORKS: "true",
        TESTDRIVER_PUBLIC_HOSTS: "testdriver.example.com",
      },
      cwd: dir(),
    });
    expect(config.network).toEqual({
      mode: "shared",
      applicationHosts: ["app.example.com", "*.staging.example.com"],
      allowPrivate: true,
    });
    expect(config.server.publicHosts).toEqual(["testdriver.example.com"]);
  });

  it("refuse a remote browser on a shared service, naming the setting, since it bypasses the gate", () => {
    const env = { TESTDRIVER_NETWORK_MODE: "shared", TESTDRIVER_WEBDRIVER_URL: "http://grid:4444/wd/hub" };
    expect(() => loadConfig({ env, cwd: dir() })).toThrow(ConfigError);
    expect(() => loadConfig({ env, cwd: dir() })).toThrow(
      /env TESTDRIVER_WEBDRIVER_URL with env TESTDRIVER_NETWORK_MODE = "shared": a remote browser does not go through TestDriver's network gate/,
    );
    expect(() => loadConfig({ env: { TESTDRIVER_NETWORK_MODE: "open" }, cwd: dir() })).toThrow(
      /allowed: local, shared/,
    );
  });

  it("keep one table of settings with one environment variable each", () => {
    const envs = SETTINGS.map((s) => s.env);
    expect(new Set(envs).size).toBe(envs.length);
    expect(envs).toEqual(expect.arrayContaining(["TESTDRIVER_NETWORK_MODE", "TESTDRIVER_APPLICATION_HOSTS"]));
  });
});
