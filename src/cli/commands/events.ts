import { type Command, InvalidArgumentError } from "commander";
import type { RecordedEvent } from "../../domain/events/envelope.js";
import { loadRuntime, openEventLog } from "../../runtime.js";

export function parseWholeNumber(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("must be a whole number >= 0");
  return Number(value);
}

const line = (event: RecordedEvent) => `${JSON.stringify(event)}\n`;

export function registerEvents(program: Command) {
  const events = program.command("events").description("read the event log");
  events
    .command("tail")
    .description("print events of the global log as JSON lines, oldest first")
    .option(
      "--from <position>",
      "start after this global position (default: before the last --last events)",
      parseWholeNumber,
    )
    .option(
      "--last <n>",
      "without --from, how many of the newest events to print first",
      parseWholeNumber,
      10,
    )
    .option("-f, --follow", "keep printing new events as they are appended, until interrupted")
    .action(async (options: { from?: number; last: number; follow?: boolean }) => {
      const runtime = loadRuntime(program.opts().config);
      const store = await openEventLog(runtime);
      try {
        let after = options.from ?? (await store.positionBeforeLast(options.last));
        if (!options.follow) {
          for (;;) {
            const page = await store.readAll({ after, limit: 1000 });
            for (const event of page.events) process.stdout.write(line(event));
            if (page.events.length < 1000) return;
            after = page.nextAfter;
          }
        }
        const subscription = store.subscribe({
          after,
          handler: (event) => void process.stdout.write(line(event)),
        });
        const stop = () => void subscription.stop();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        await subscription.done;
      } finally {
        await store.close();
      }
    });
}
