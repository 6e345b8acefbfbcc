/**
 * The requests a session has written or will write, by frame id: outbox entries (sends, recalls,
 * edits) wait across disconnects and are written again with the same id; the others fail on a
 * disconnect or after a timeout.
 */
import { ChatError, NO_ANSWER_CODE } from "./errors.ts";
import { FRAME_TYPE, type IncomingFrame } from "./protocol.ts";

export interface PendingRequest {
  method: string;
  data: unknown;
  resolve: (ack: unknown) => void;
  reject: (error: Error) => void;
  /** Outbox entries survive disconnects and are resent; other requests fail on a disconnect. */
  outbox: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

export class RequestTable {
  private readonly pending = new Map<string, PendingRequest>();

  constructor(private readonly timeoutMs: number) {}

  /** Registers a request under a new frame id; `written` writes it if a socket is ready. */
  add(
    method: string,
    data: unknown,
    outbox: boolean,
    written: (id: string, request: PendingRequest) => void,
  ): Promise<unknown> {
    const id = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      const request: PendingRequest = { method, data, outbox, resolve, reject };
      this.pending.set(id, request);
      if (!outbox) {
        request.timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new ChatError(NO_ANSWER_CODE, `no answer to ${method}`, 0, id));
        }, this.timeoutMs);
      }
      written(id, request);
    });
  }

  /** Every request still waiting, in the order they were made. */
  entries(): IterableIterator<[string, PendingRequest]> {
    return this.pending.entries();
  }

  /** Settles the request an ack or error frame answers (unknown ids are ignored). */
  answer(frame: IncomingFrame): void {
    const request = frame.id === undefined ? undefined : this.pending.get(frame.id);
    if (!request || frame.id === undefined) return;
    this.pending.delete(frame.id);
    clearTimeout(request.timer);
    if (frame.frameType === FRAME_TYPE.ack) {
      request.resolve(frame.data);
      return;
    }
    const { code, msg } = frame.data as { code: number; msg: string };
    request.reject(new ChatError(code, msg, 0, frame.id));
  }

  /** Fails every request but the outbox's (or all of them, `keepOutbox` false). */
  failOnDisconnect(keepOutbox: boolean): void {
    for (const [id, request] of this.pending) {
      if (request.outbox && keepOutbox) continue;
      this.pending.delete(id);
      clearTimeout(request.timer);
      request.reject(
        new ChatError(NO_ANSWER_CODE, `disconnected before ${request.method} was answered`, 0, id),
      );
    }
  }
}
