import { setTimeout as sleep } from "node:timers/promises";

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Each attempt's time limit. */
  timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 2,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  timeoutMs: 30_000,
};

/** What went wrong with a call, as far as retrying is concerned. */
export interface CallFailure {
  retriable: boolean;
  /** The server's Retry-After, when it sent one. */
  retryAfterMs?: number;
  message: string;
}

export class RetriesExhaustedError extends Error {
  override readonly name = "RetriesExhaustedError";
  constructor(
    readonly attempts: number,
    readonly last: CallFailure,
  ) {
    super(`${last.message} (after ${attempts} attempt${attempts === 1 ? "" : "s"})`);
  }
}

/** Reads Retry-After as seconds or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Calls `attempt` with a signal that aborts at the policy's timeout; a retriable failure is tried again after
 * an exponential backoff (with jitter), or after the server's Retry-After when that is longer, capped at
 * maxDelayMs. A failure that is not retriable ends at once.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (signal: AbortSignal) => Promise<T>,
  classify: (error: unknown, timedOut: boolean) => CallFailure,
  onRetry?: (failure: CallFailure, delayMs: number, attempt: number) => void,
): Promise<T> {
  for (let n = 1; ; n++) {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error(`timed out after ${policy.timeoutMs} ms`));
    }, policy.timeoutMs);
    try {
      return await attempt(controller.signal);
    } catch (error) {
      const failure = classify(error, timedOut);
      if (!failure.retriable || n > policy.retries) throw new RetriesExhaustedError(n, failure);
      const backoff = Math.min(
        policy.maxDelayMs,
        policy.baseDelayMs * 2 ** (n - 1) * (0.75 + Math.random() / 2),
      );
      const delay = Math.min(policy.maxDelayMs, Math.max(backoff, failure.retryAfterMs ?? 0));
      onRetry?.(failure, delay, n);
      await sleep(delay);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** HTTP statuses worth another try: rate limits, timeouts and server errors. */
export const retriableStatus = (status: number | undefined) =>
  status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500);
