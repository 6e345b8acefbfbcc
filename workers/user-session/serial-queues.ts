/**
 * Frames from one socket are handled one after another, in the order they arrived, so answers
 * (and the sends they cause, e.g. chat messages) keep the client's order even when a handler
 * awaits I/O — the input gate alone does not serialise across awaits on RPC or D1.
 *
 * The queues are memory only, and that is enough: they hold nothing but frames in flight, and an
 * object with frames in flight is not hibernated. Each key holds at most `bound` tasks (waiting
 * or running), so a client whose frames arrive faster than they are answered cannot grow the
 * object's memory without limit.
 */
export class SerialQueues {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly sizes = new Map<string, number>();

  constructor(private readonly bound = Number.POSITIVE_INFINITY) {}

  /** Tasks of `key` waiting or running. */
  size(key: string): number {
    return this.sizes.get(key) ?? 0;
  }

  /**
   * Runs `task` after every task queued before it under `key`; `task` must not throw. Returns
   * false, running nothing, when `key` already holds `bound` tasks.
   */
  run(key: string, task: () => Promise<void>): Promise<void> | false {
    if (this.size(key) >= this.bound) return false;
    this.sizes.set(key, this.size(key) + 1);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task);
    this.tails.set(key, current);
    return this.settle(key, current);
  }

  private async settle(key: string, current: Promise<void>): Promise<void> {
    try {
      await current;
    } finally {
      const left = this.size(key) - 1;
      if (left === 0) this.sizes.delete(key);
      else this.sizes.set(key, left);
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }
}
