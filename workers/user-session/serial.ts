/**
 * Frames from one socket are handled one after another, in the order they arrived, so answers
 * (and the sends they cause, e.g. chat messages) keep the client's order even when a handler
 * awaits I/O — the input gate alone does not serialise across awaits on RPC or D1.
 *
 * The queues are memory only, and that is enough: they hold nothing but frames in flight, and an
 * object with frames in flight is not hibernated.
 */
export class SerialQueues {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `task` after every task queued before it under `key`; `task` must not throw. */
  async run(key: string, task: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(task);
    this.tails.set(key, current);
    try {
      await current;
    } finally {
      if (this.tails.get(key) === current) this.tails.delete(key);
    }
  }
}
