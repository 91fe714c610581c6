import type { ProgressEvent } from "../engine/engine.js";

const MARK: Record<string, string> = { passed: "✓", healed: "✚", failed: "✗", skipped: "-", pending: "↻" };

/** One line per finished step on stderr: stdout stays for results. */
export function printProgress(
  event: ProgressEvent,
  write: (line: string) => void = (l) => process.stderr.write(l),
) {
  if (event.kind !== "step_finished") return;
  const mark = MARK[event.status ?? ""] ?? "?";
  const retry = event.status === "pending" ? " (will retry)" : "";
  const healed = event.healed ? " [healed]" : "";
  const error = event.error ? `\n      ${event.error}` : "";
  write(
    `  ${mark} [${(event.index ?? 0) + 1}/${event.total}] ${event.description} (${event.durationMs} ms)${healed}${retry}${error}\n`,
  );
}
