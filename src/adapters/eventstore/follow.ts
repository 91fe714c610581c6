/** A loop that follows the log until stopped. */
export interface Follower {
  stop(): Promise<void>;
}

/**
 * Runs `round` again whenever the log may have grown: on a change notification, or after `pollIntervalMs`
 * (notifications are hints). A round that returns `backoffMs` waits that long instead, and notifications do
 * not cut the wait short, so a failing downstream is not hammered by a busy log.
 */
export function followLog(
  source: { onChange(listener: () => void): () => void },
  round: () => Promise<{ backoffMs?: number } | undefined>,
  options: { pollIntervalMs: number },
): Follower {
  let running = true;
  let wake: (() => void) | undefined;
  let backingOff = false;
  // Set by every notification, cleared before each round: a change that lands during a round is not lost
  // (as in runSubscription).
  let dirty = false;
  const unlisten = source.onChange(() => {
    dirty = true;
    if (!backingOff) wake?.();
  });
  const loop = (async () => {
    while (running) {
      dirty = false;
      const result = await round();
      if (!running) break;
      backingOff = result?.backoffMs !== undefined;
      await new Promise<void>((resolve) => {
        if (dirty && !backingOff) return resolve();
        const timer = setTimeout(done, result?.backoffMs ?? options.pollIntervalMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        wake = done;
      });
    }
  })();
  return {
    stop: async () => {
      running = false;
      backingOff = false;
      wake?.();
      unlisten();
      await loop;
    },
  };
}
