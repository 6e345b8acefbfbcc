/** How long to wait before reconnect attempt `attempt` (0-based): exponential, full jitter. */

export interface BackoffOptions {
  /** The ceiling of the first wait (ms). */
  initialMs: number;
  /** No wait is ever longer (ms). */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000 };

/**
 * A random wait in [0, min(maxMs, initialMs · 2^attempt)): "full jitter", so clients cut off by
 * one restart do not all come back in the same millisecond.
 */
export function reconnectDelay(
  attempt: number,
  options: BackoffOptions = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
