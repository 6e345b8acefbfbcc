/**
 * At most DELIVERY_CONCURRENCY deliveries in flight from one conversation: enough that a
 * 500-member fan-out is not a queue of round trips, few enough to bound the calls in flight.
 */
export const DELIVERY_CONCURRENCY = 64;
/**
 * Every YIELD_EVERY deliveries started, the outbox lets the runtime read the network (see
 * `run`), so a send arriving during a big fan-out waits behind a handful of deliveries, not
 * hundreds: the runtime runs every object's work on one thread, first come first served.
 */
const YIELD_EVERY = 8;

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
    // the runtime reads the network only when that loop runs dry: a zero timer lets it, so
    // other frames (a send, its ack) are not held back until the whole fan-out is over.
    if (++this.sinceYield >= YIELD_EVERY) {
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
