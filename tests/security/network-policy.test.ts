import { describe, expect, it } from "vitest";
import { classifyIp, normalizeIp } from "../../src/domain/network/ip.js";
import { UrlPolicy } from "../../src/domain/network/policy.js";

describe("addresses", () => {
  it("folds IPv4-mapped IPv6 and brackets to the address they reach", () => {
    expect(normalizeIp("[::ffff:127.0.0.1]")).toBe("127.0.0.1");
    expect(normalizeIp("::ffff:7f00:1")).toBe("127.0.0.1");
    expect(normalizeIp("[::ffff:a9fe:a9fe]")).toBe("169.254.169.254");
    expect(normalizeIp("[::1]")).toBe("0:0:0:0:0:0:0:1");
    expect(normalizeIp("example.com")).toBeUndefined();
    expect(normalizeIp("1.2.3")).toBeUndefined();
  });

  it("classifies what an address reaches", () => {
    const cases: [string, string][] = [
      ["127.0.0.1", "loopback"],
      ["127.8.9.10", "loopback"],
      ["::1", "loopback"],
      ["::ffff:127.0.0.1", "loopback"],
      ["169.254.169.254", "metadata"],
      ["::ffff:169.254.169.254", "metadata"],
      ["fd00:ec2::254", "metadata"],
      ["169.254.1.1", "link-local"],
      ["fe80::1", "link-local"],
      ["febf::1", "link-local"],
      ["0.0.0.0", "unspecified"],
      ["::", "unspecified"],
      ["255.255.255.255", "broadcast"],
      ["224.0.0.1", "multicast"],
      ["10.1.2.3", "private"],
      ["172.16.0.1", "private"],
      ["172.32.0.1", "public"],
      ["192.168.1.1", "private"],
      ["fd12::1", "private"],
      ["100.64.0.1", "private"],
      ["64:ff9b::a9fe:a9fe", "link-local"],
      ["93.184.216.34", "public"],
      ["2606:4700::1111", "public"],
    ];
    for (const [ip, kind] of cases) expect(classifyIp(ip), ip).toBe(kind);
  });
});

describe("network policy", () => {
  it("never reaches the metadata service, link-local, unspecified or broadcast, even when listed", () => {
    const policy = new UrlPolicy(["169.254.169.254", "[fe80::1]", "0.0.0.0", "255.255.255.255"], true, {
      allowPrivate: true,
    });
    expect(() => policy.check("http://169.254.169.254/latest/meta-data")).toThrow(
      /169\.254\.169\.254 is a metadata address, which is never reachable/,
    );
    expect(() => policy.check("http://[::ffff:169.254.169.254]/")).toThrow(/metadata address/);
    expect(() => policy.check("http://[fe80::1]/")).toThrow(/link-local address/);
    expect(() => policy.check("http://0.0.0.0:8080/")).toThrow(/unspecified address/);
    expect(() => policy.check("http://255.255.255.255/")).toThrow(/broadcast address/);
  });

  it("reaches private ranges only when the operator allows them", () => {
    expect(() => new UrlPolicy(["10.0.0.5"]).check("http://10.0.0.5/")).toThrow(
      /private address; set TESTDRIVER_ALLOW_PRIVATE_NETWORKS/,
    );
    expect(new UrlPolicy(["10.0.0.5"], true, { allowPrivate: true }).allows("http://10.0.0.5/")).toBe(true);
    // Allowing the class does not allow every host in it.
    expect(new UrlPolicy([], true, { allowPrivate: true }).allows("http://10.0.0.6/")).toBe(false);
    const names = new UrlPolicy(["intranet.test"]);
    expect(() => names.checkAddress("http://intranet.test/", "192.168.0.7")).toThrow(
      /192\.168\.0\.7 is a private address/,
    );
    expect(() => names.checkAddress("http://intranet.test/", "93.184.216.34")).not.toThrow();
  });

  it("reaches loopback, mapped or not, only in local mode", () => {
    const local = new UrlPolicy();
    expect(local.allows("http://[::ffff:127.0.0.1]:9/")).toBe(true);
    expect(local.allows("http://app.localhost/")).toBe(true);
    const shared = new UrlPolicy(["app.example.com"], false);
    expect(() => shared.check("http://127.0.0.1/")).toThrow(/loopback, reachable only in local mode/);
    expect(() => shared.check("http://[::ffff:127.0.0.1]/")).toThrow(/loopback/);
    expect(() => shared.checkAddress("https://app.example.com/", "127.0.0.1")).toThrow(
      /127\.0\.0\.1 is loopback/,
    );
  });

  it("allows a run's origin only when the application hosts allow it", () => {
    // The hole this closes: a run always allowed its own origin.
    expect(() => new UrlPolicy().withOrigin("http://169.254.169.254/")).toThrow(/metadata address/);
    expect(() => new UrlPolicy().withOrigin("http://[::ffff:a9fe:a9fe]/")).toThrow(/metadata address/);
    expect(new UrlPolicy().withOrigin("https://shop.test/").allows("https://shop.test/cart")).toBe(true);
    const listed = new UrlPolicy([], true, { applicationHosts: ["*.staging.example.com"] });
    expect(
      listed.withOrigin("https://a.staging.example.com/").allows("https://a.staging.example.com/x"),
    ).toBe(true);
    expect(() => listed.withOrigin("https://evil.example.net/")).toThrow(
      /host evil\.example\.net is not an application host \(\*\.staging\.example\.com\); add it to TESTDRIVER_APPLICATION_HOSTS/,
    );
    // A shared service without application hosts targets only its allowed hosts.
    const shared = new UrlPolicy(["app.example.com"], false);
    expect(() => shared.withOrigin("https://other.example.com/")).toThrow(/not an application host/);
    expect(shared.withOrigin("https://app.example.com/").allows("https://app.example.com/")).toBe(true);
  });
});
