/**
 * Wait durations learned per page and action, so that later runs start from what was observed instead of a
 * fixed guess. The model is plain data, rebuilt from recorded observations (WaitObserved events).
 */
export interface WaitObservation {
  key: string;
  durationMs: number;
  success: boolean;
}

export interface LearnedWait {
  samples: number;
  /** 95th percentile of successful waits. */
  p95Ms: number;
  recommendedTimeoutMs: number;
  failures: number;
}

export class WaitLearner {
  private readonly history = new Map<string, { durations: number[]; failures: number }>();

  constructor(
    private readonly options: { window?: number; minTimeoutMs?: number; maxTimeoutMs?: number } = {},
  ) {}

  static keyOf(page: string, action: string): string {
    let path = page;
    try {
      const url = new URL(page);
      // Ids in paths vary from run to run; the page is the same.
      path = `${url.host}${url.pathname.replace(/\/\d+(?=\/|$)/g, "/:id")}`;
    } catch {
      // Not a URL: use it as it is.
    }
    return `${path}::${action}`;
  }

  observe(observation: WaitObservation): void {
    const entry = this.history.get(observation.key) ?? { durations: [], failures: 0 };
    if (observation.success) {
      entry.durations.push(observation.durationMs);
      const window = this.options.window ?? 20;
      if (entry.durations.length > window) entry.durations.splice(0, entry.durations.length - window);
    } else {
      entry.failures++;
    }
    this.history.set(observation.key, entry);
  }

  /** What was learned for a key; undefined until a wait there has succeeded once. */
  learned(key: string): LearnedWait | undefined {
    const entry = this.history.get(key);
    if (!entry || entry.durations.length === 0) return undefined;
    const sorted = [...entry.durations].sort((a, b) => a - b);
    const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
    const min = this.options.minTimeoutMs ?? 1000;
    const max = this.options.maxTimeoutMs ?? 30_000;
    // Headroom for a slower machine or a busier server, within bounds.
    const recommended = Math.min(max, Math.max(min, Math.round(p95 * 2 + 250)));
    return {
      samples: sorted.length,
      p95Ms: Math.round(p95),
      recommendedTimeoutMs: recommended,
      failures: entry.failures,
    };
  }

  timeoutFor(key: string, fallbackMs: number): number {
    return this.learned(key)?.recommendedTimeoutMs ?? fallbackMs;
  }

  toJSON(): Record<string, { durations: number[]; failures: number }> {
    return Object.fromEntries(this.history);
  }
}
