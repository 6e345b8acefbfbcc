/**
 * The client's side of the contract's rates (CONTRACT §6, §9): a token bucket that keeps the
 * frames a session writes under FRAME_RATE_PER_SECOND, with a burst well under the server's, so
 * a session that drains a long outbox after a reconnect is never refused for flooding.
 */

export interface PaceOptions {
  /** Frames per second, sustained (the server allows 20 per socket and 20 messages per user). */
  perSecond: number;
  /** Frames written at once after a pause (the server's burst is 40; half leaves room). */
  burst: number;
  /** Frames written and not yet answered (the server queues at most 40 per socket). */
  inFlight: number;
}

export const DEFAULT_PACE: PaceOptions = {
  perSecond: 20,
  burst: 20,
  inFlight: 40,
};

export class FramePacer {
  private readonly options: PaceOptions;
  private tokens: number;
  private updatedAt = 0;

  constructor(options: PaceOptions = DEFAULT_PACE) {
    this.options = options;
    this.tokens = options.burst;
  }

  /** Milliseconds until the next frame may be written (0: now). */
  wait(now: number): number {
    this.refill(now);
    if (this.tokens >= 1) return 0;
    return Math.ceil(((1 - this.tokens) / this.options.perSecond) * 1000);
  }

  /** Counts one written frame. */
  take(now: number): void {
    this.refill(now);
    this.tokens -= 1;
  }

  get maxInFlight(): number {
    return this.options.inFlight;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(
      this.options.burst,
      this.tokens + elapsed * this.options.perSecond,
    );
    this.updatedAt = now;
  }
}
