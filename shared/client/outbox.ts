/**
 * The requests a session has written or will write, by frame id, and the one place that writes
 * them: paced (pacer.ts), at most `inFlight` unanswered, plain requests before the outbox, and
 * the outbox only once the session has caught up after a connect (`openOutbox`).
 *
 * Outbox entries (sends, recalls, edits, read marks) wait across disconnects and are written
 * again with the same id, which the server treats as the idempotency key (CONTRACT §7.3). A
 * 100008 refusal of one is not final: the outbox pauses for its Retry-After and writes it again.
 * Plain requests (sync, typing, online) fail on a disconnect or after `timeoutMs`.
 */
import { ChatError, NO_ANSWER_CODE, RATE_LIMITED_CODE } from "./errors.ts";
import { FramePacer } from "./pacer.ts";
import { FRAME_TYPE, type IncomingFrame } from "./protocol.ts";

export interface OutboxEntry {
  method: string;
  data: unknown;
  /** Kept across disconnects and resent; plain requests fail on a disconnect. */
  outbox: boolean;
  /** Written on the current socket and not answered yet. */
  written: boolean;
  promise: Promise<unknown>;
  resolve: (ack: unknown) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly pacer: FramePacer;
  private readonly timeoutMs: number;
  private readonly writeFrame: (text: string) => void;
  private connected = false;
  private outboxOpen = false;
  private pausedUntil = 0;
  private pumpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    pacer: FramePacer,
    timeoutMs: number,
    writeFrame: (text: string) => void,
  ) {
    this.pacer = pacer;
    this.timeoutMs = timeoutMs;
    this.writeFrame = writeFrame;
  }

  /**
   * Adds a request under `id` (a new UUID by default). The same id while its entry waits gives
   * the same promise: the caller's retry of a send is still one message.
   */
  add(
    method: string,
    data: unknown,
    outbox: boolean,
    id: string = crypto.randomUUID(),
  ): Promise<unknown> {
    const known = this.entries.get(id);
    if (known) return known.promise;
    let resolve!: (ack: unknown) => void;
    let reject!: (error: Error) => void;
    const promise = new Promise<unknown>((yes, no) => [resolve, reject] = [yes, no]);
    const entry: OutboxEntry = {
      method,
      data,
      outbox,
      written: false,
      promise,
      resolve,
      reject,
    };
    this.entries.set(id, entry);
    if (!outbox) {
      entry.timer = setTimeout(
        () =>
          this.settle(
            id,
            new ChatError(NO_ANSWER_CODE, `no answer to ${method}`, 0, id),
          ),
        this.timeoutMs,
      );
    }
    this.pump();
    return promise;
  }

  /** A socket is ready: plain requests may go; the outbox waits for `openOutbox`. */
  connect(): void {
    this.connected = true;
    this.pump();
  }

  /** The session has caught up (its sync is done): the outbox drains, paced. */
  openOutbox(): void {
    this.outboxOpen = true;
    this.pump();
  }

  /** The socket is gone: nothing is in flight; plain requests fail (every one, `all`). */
  disconnect(all: boolean): void {
    this.connected = false;
    this.outboxOpen = false;
    clearTimeout(this.pumpTimer);
    for (const [id, entry] of this.entries) {
      entry.written = false;
      if (entry.outbox && !all) continue;
      this.settle(
        id,
        new ChatError(
          NO_ANSWER_CODE,
          `disconnected before ${entry.method} was answered`,
          0,
          id,
        ),
      );
    }
  }

  /** Settles the request an ack or error frame answers (unknown ids are ignored). */
  answer(frame: IncomingFrame): void {
    const entry = frame.id === undefined ? undefined : this.entries.get(frame.id);
    if (!entry || frame.id === undefined || !entry.written) return;
    entry.written = false;
    if (frame.frameType === FRAME_TYPE.ack) {
      this.settle(frame.id, undefined, frame.data);
    } else {
      const error = ChatError.fromFrame(frame.id, frame.data);
      if (error.code === RATE_LIMITED_CODE && entry.outbox) {
        // Not final: the whole outbox waits (the limit is the user's), then writes it again.
        this.pausedUntil = Math.max(
          this.pausedUntil,
          Date.now() + (error.retryAfter ?? 1) * 1000,
        );
      } else {
        this.settle(frame.id, error);
      }
    }
    this.pump();
  }

  /** Every outbox entry still waiting, oldest first (for exportState). */
  waiting(): [string, OutboxEntry][] {
    return [...this.entries].filter(([, entry]) => entry.outbox);
  }

  private settle(id: string, error: Error | undefined, ack?: unknown): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve(ack);
  }

  /** Writes what may be written now; schedules itself for the next token or pause end. */
  private pump(): void {
    clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    while (this.connected) {
      const now = Date.now();
      const outboxMayGo = this.outboxOpen && now >= this.pausedUntil;
      const next = this.next(outboxMayGo);
      if (!next) {
        if (this.outboxOpen && !outboxMayGo && this.next(true)) {
          this.wake(this.pausedUntil - now);
        }
        return;
      }
      // An answer pumps again; written frames are answered in well under the request timeout.
      if (this.inFlight() >= this.pacer.maxInFlight) return;
      const wait = this.pacer.wait(now);
      if (wait > 0) return this.wake(wait);
      const [id, entry] = next;
      this.pacer.take(now);
      entry.written = true;
      this.writeFrame(
        JSON.stringify({
          frameType: FRAME_TYPE.data,
          id,
          method: entry.method,
          data: entry.data,
        }),
      );
    }
  }

  private wake(ms: number): void {
    this.pumpTimer = setTimeout(() => this.pump(), Math.max(1, ms));
  }

  /** The next entry to write: plain requests first (a sync must not wait behind 100 sends). */
  private next(outboxMayGo: boolean): [string, OutboxEntry] | undefined {
    let firstOutbox: [string, OutboxEntry] | undefined;
    for (const pair of this.entries) {
      const [, entry] = pair;
      if (entry.written) continue;
      if (!entry.outbox) return pair;
      firstOutbox ??= pair;
    }
    return outboxMayGo ? firstOutbox : undefined;
  }

  private inFlight(): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.written) count += 1;
    return count;
  }
}
