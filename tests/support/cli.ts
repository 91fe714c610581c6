import { spawn } from "node:child_process";
import { join } from "node:path";

// The built CLI, as users run it: `npm test` builds before the suites run (run `npm run build` first when
// running these suites alone). Through tsx from source, each start took twice as long.
const CLI = join(import.meta.dirname, "../../dist/cli/main.js");

/** Runs the built CLI in a child process with a clean environment plus `env`. */
export function runCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs any program in `cwd` and collects its output; the caller's event loop stays free meanwhile. */
export function runProgram(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.on("close", (code) => resolve({ code, output }));
  });
}
