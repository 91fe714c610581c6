import { readFileSync } from "node:fs";
import semver from "semver";
import { describe, expect, it } from "vitest";

// `engines` is a promise to users: every Node version it admits must be admitted by every installed package
// too, or `npm ci` warns EBADENGINE and the package may not work there.
const ourPackage = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, { engines?: Record<string, string> | string[] }>;
};

describe("supported Node versions", () => {
  const range = ourPackage.engines.node;
  // The lowest release of each major the range admits: if the lowest works, every later one in range does
  // for the usual ">=" ranges the registry uses.
  const lowest = range.split("||").map((part) => semver.minVersion(part.trim())?.version ?? part);

  it("names whole majors that CI runs the suite on (20 and 22)", () => {
    expect(lowest.map((v) => semver.major(v))).toEqual([20, 22]);
  });

  it("is admitted by every package in the lock file", () => {
    const refusing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      const wanted = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (!path || !wanted) continue;
      for (const version of lowest) {
        if (!semver.satisfies(version, wanted)) refusing.push(`${path} wants node ${wanted}, not ${version}`);
      }
    }
    expect(refusing).toEqual([]);
  });
});
