import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { gateOf, policyOf } from "../../src/adapters/network/from-config.js";
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

  it("become the policy the gate and the engine enforce", () => {
    const shared = policyOf(
      loadConfig({
        env: { TESTDRIVER_NETWORK_MODE: "shared", TESTDRIVER_APPLICATION_HOSTS: "app.example.com" },
        cwd: dir(),
      }),
    );
    expect(shared.allows("http://127.0.0.1:8080/")).toBe(false);
    expect(() => shared.withOrigin("https://other.example.com/")).toThrow(/not an application host/);
    expect(shared.withOrigin("https://app.example.com/").allows("https://app.example.com/x")).toBe(true);
    const local = policyOf(loadConfig({ env: {}, cwd: dir() }));
    expect(local.allows("http://[::ffff:127.0.0.1]:3000/")).toBe(true);
    const warnings: string[] = [];
    const remote = loadConfig({ env: { TESTDRIVER_WEBDRIVER_URL: "http://grid:4444/wd/hub" }, cwd: dir() });
    expect(gateOf(remote, (m) => warnings.push(m))).toBeUndefined();
    expect(warnings[0]).toMatch(
      /env TESTDRIVER_WEBDRIVER_URL: the remote browser is not behind TestDriver's network gate/,
    );
  });

  it("keep one table of settings with one environment variable each", () => {
    const envs = SETTINGS.map((s) => s.env);
    expect(new Set(envs).size).toBe(envs.length);
    expect(envs).toEqual(expect.arrayContaining(["TESTDRIVER_NETWORK_MODE", "TESTDRIVER_APPLICATION_HOSTS"]));
  });
});
