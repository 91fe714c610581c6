import type { ProgressEvent } from "../engine/engine.js";

const MARK: Record<string, string> = { passed: "✓", healed: "✚", failed: "✗", skipped: "-", pending: "↻" };

/**
 * One line per finished step on stderr: stdout stays for results. With `said` (step id to the step as
 * understood: `type "alice" into "Email"`), the line shows what the step did rather than its sentence again.
 */
export function printProgress(
  event: ProgressEvent,
  write: (line: string) => void = (l) => process.stderr.write(l),
  said?: ReadonlyMap<string, string>,
) {
  if (event.kind !== "step_finished") return;
  const mark = MARK[event.status ?? ""] ?? "?";
  const retry = event.status === "pending" ? " (will retry)" : "";
  const healed = event.healed ? " [healed]" : "";
  const error = event.error ? `\n      ${event.error}` : "";
  const what = (event.stepId && said?.get(event.stepId)) || event.description;
  write(
    `  ${mark} [${(event.index ?? 0) + 1}/${event.total}] ${what} (${event.durationMs} ms)${healed}${retry}${error}\n`,
  );
}
