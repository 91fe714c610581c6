import type { ReadAllPage, SubscribeOptions, Subscription } from "../../domain/events/store.js";
import type { ChangeNotifier } from "./notifier.js";

export interface RunSubscriptionOptions extends SubscribeOptions {
  read: (after: number, limit: number) => Promise<ReadAllPage>;
  notifier: ChangeNotifier;
  pollIntervalMs: number;
}

/**
 * Catches up from a checkpoint, then follows the log: reads whole pages while there are any, and sleeps
 * until a change notification or the poll interval otherwise. Delivers each event once per run, in order,
 * awaiting the handler; a restart from a stored checkpoint makes that at-least-once.
 */
export function runSubscription(options: RunSubscriptionOptions): Subscription {
  const batchSize = options.batchSize ?? 500;
  let stopped = false;
  // Set by every notification, cleared before each read: a change that lands between a read and the sleep
  // is not lost.
  let dirty = false;
  let wake: (() => void) | undefined;
  const unlisten = options.notifier.onChange(() => {
    dirty = true;
    wake?.();
  });

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (dirty || stopped) return resolve();
      const timer = setTimeout(done, options.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = async () => {
    let position = options.after ?? 0;
    try {
      while (!stopped) {
        dirty = false;
        const page = await options.read(position, batchSize);
        for (const event of page.events) {
          if (stopped) return;
          await options.handler(event);
          position = event.globalPosition;
        }
        if (page.events.length < batchSize) {
          options.onCaughtUp?.(position);
          await sleep();
        }
      }
    } finally {
      unlisten();
    }
  };

  const done = loop();
  return {
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done.catch(() => {});
    },
  };
}
