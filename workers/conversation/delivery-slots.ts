/**
 * At most DELIVERY_CONCURRENCY deliveries in flight from one conversation. Few enough that a
 * send arriving during a big fan-out waits behind a handful of queued deliveries, not hundreds
 * (the runtime runs every object's work on one thread, first come first served); enough to keep
 * that thread busy.
 */
export const DELIVERY_CONCURRENCY = 8;

export class DeliverySlots {
  private running = 0;
  private sinceYield = 0;
  private readonly waiting: Array<() => void> = [];

  /** Runs `work` once a slot is free. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    while (this.running >= DELIVERY_CONCURRENCY) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.running += 1;
    // A big fan-out keeps the runtime's event loop busy with one delivery after another, and
    // the runtime reads the network only when that loop runs dry: every DELIVERY_CONCURRENCY
    // deliveries, a zero timer lets it, so other frames (a send, its ack) are not held back
    // until the whole fan-out is over.
    if (++this.sinceYield >= DELIVERY_CONCURRENCY) {
      this.sinceYield = 0;
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}
