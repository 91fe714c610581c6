import { readdirSync, readFileSync } from "node:fs";

/** The main browser process started with a profile directory (Linux /proc); undefined elsewhere. */
export function browserPidOf(profileDir: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0");
      if (args.includes(`--user-data-dir=${profileDir}`) && !args.some((a) => a.startsWith("--type=")))
        return Number(entry);
    } catch {
      // It ended while we looked.
    }
  }
  return undefined;
}
