/**
 * The machinery under ChatSession (session.ts): a connection that reconnects with backoff
 * (connection.ts), a resync from the last seq and change seq seen after every `session.ready`
 * (catch-up.ts), each message handed over exactly once and in seq order, each recall and edit
 * never older over newer, and an outbox drained only after that resync, within the server's
 * rates (outbox.ts), whose entries are retried with their frame id until answered (§7.3).
 */
import { CatchUp } from "./catch-up.ts";
import { ChangeOrder } from "./change-order.ts";
import { Connection } from "./connection.ts";
import { ChatError, NO_ANSWER_CODE } from "./errors.ts";
import { Emitter } from "./events.ts";
import { pageOrigin } from "./http.ts";
import { MessageOrder } from "./message-order.ts";
import { Outbox } from "./outbox.ts";
import { DEFAULT_PACE, FramePacer } from "./pacer.ts";
import {
  type ChatLog,
  type EditedMessage,
  FRAME_TYPE,
  type IncomingFrame,
  type MessageChange,
  type MethodAck,
  type MethodInput,
  type MethodName,
  type PinChange,
  type PushData,
  type ReactionChange,
  type Recall,
  type SessionReady,
  SOCIAL_PUSHES,
} from "./protocol.ts";
import type { ChatSessionEvents, ChatSessionOptions, SessionState } from "./session-types.ts";
import { socketFactory } from "./socket.ts";

export class SessionCore extends Emitter<ChatSessionEvents> {
  state: SessionState = "stopped";
  protected readonly order = new MessageOrder();
  protected readonly changes = new ChangeOrder();
  protected readonly outbox: Outbox;
  private readonly connection: Connection;
  private readonly catchUp: CatchUp;
  protected ready = false;
  private readonly startAt: "seq" | "read";
  /** Bumped at every connect: work of an older socket (a resync) must not touch a newer one. */
  private generation = 0;

  constructor(options: ChatSessionOptions) {
    super();
    this.startAt = options.startAt ?? "seq";
    this.outbox = new Outbox(
      new FramePacer(options.pace ?? DEFAULT_PACE),
      options.requestTimeoutMs ?? 15_000,
      (text) => this.connection.send(text),
    );
    this.connection = new Connection({
      baseUrl: options.baseUrl ?? pageOrigin(),
      token: options.token,
      deviceId: options.deviceId,
      open: (url, protocols) => socketFactory(options.webSocket, options.WebSocket)(url, protocols),
      heartbeatMs: options.heartbeatMs ?? 30_000,
      readyTimeoutMs: options.readyTimeoutMs ?? 10_000,
      backoff: options.backoff,
      random: options.random,
    }, {
      text: (text) => this.onText(text),
      lost: (code, reason, retryInMs) => this.onLost(code, reason, retryInMs),
      error: (error) => this.emit("error", error),
    });
    this.catchUp = new CatchUp(
      this.order,
      this.changes,
      (data) => this.request("conversation.sync", data),
    );
  }

  /** Connects (and keeps reconnecting until close() or a final close code). */
  start(): void {
    if (this.state !== "stopped") return;
    this.setState("connecting");
    this.connection.start();
  }

  /** Stops for good: closes the socket with 1000, fails everything still waiting. */
  close(): void {
    this.stop(1000, "closed by the client");
  }

  /** One request on the current socket; rejects with a ChatError on refusal or disconnect. */
  request<M extends MethodName>(
    method: M,
    data: MethodInput<M>,
  ): Promise<MethodAck<M>> {
    if (!this.ready) {
      return Promise.reject(
        new ChatError(NO_ANSWER_CODE, `not connected (${method})`),
      );
    }
    return this.enqueue(method, data, false);
  }

  /** Drops the current socket as a network failure would (the session reconnects). */
  dropConnection(): void {
    this.connection.drop();
  }

  protected enqueue<M extends MethodName>(
    method: M,
    data: MethodInput<M>,
    outbox: boolean,
    id?: string,
  ): Promise<MethodAck<M>> {
    if (this.state === "stopped" && outbox) {
      return Promise.reject(stoppedError());
    }
    return this.outbox.add(method, data, outbox, id) as Promise<MethodAck<M>>;
  }

  private onText(text: string): void {
    let frame: IncomingFrame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.emit("error", new Error("a frame that is not JSON"));
      return;
    }
    if (
      frame.frameType === FRAME_TYPE.ack || frame.frameType === FRAME_TYPE.error
    ) {
      this.outbox.answer(frame);
    } else if (
      frame.frameType === FRAME_TYPE.data && typeof frame.method === "string"
    ) {
      this.onPush(frame.method, frame.data);
    }
  }

  private onPush(method: string, data: unknown): void {
    this.emit("push", { method, data });
    if (method === "session.ready") this.onReady(data as SessionReady);
    else if (method === "push") this.onMessage(data as ChatLog);
    else if (method === "recall") {
      this.onChange({ method, data: data as Recall });
    } else if (method === "edit") {
      this.onChange({ method, data: data as EditedMessage });
    } else if (method === "reaction") {
      this.onChange({ method, data: data as ReactionChange });
    } else if (method === "pin") {
      this.onChange({ method, data: data as PinChange });
    } else if (PASSED_ON.has(method)) {
      this.emit(method as PassedOn, data as PushData<PassedOn>);
    }
  }

  /** A recall or edit from a push, a resync or an ack: handed over unless the app has newer. */
  protected onChange(change: MessageChange): void {
    if (!this.changes.accept(change.data)) return;
    if (change.method === "recall") this.emit("recall", change.data);
    else if (change.method === "edit") this.emit("edit", change.data);
    else if (change.method === "reaction") this.emit("reaction", change.data);
    else this.emit("pin", change.data);
  }

  private onMessage(message: ChatLog): void {
    // A conversation first heard of by a message: every change of it is news to the app.
    if (this.changes.cursor(message.conversationId) === undefined) {
      this.changes.follow(message.conversationId, 0);
    }
    const { deliver, gap } = this.order.accept(message);
    for (const each of deliver) this.emit("message", each);
    if (gap && this.ready) {
      this.catchUp.fillGap(message.conversationId).catch((error) => this.emitIfLive(error));
    }
  }

  private onReady(ready: SessionReady): void {
    this.ready = true;
    const generation = ++this.generation;
    this.connection.ready();
    // Conversations seen for the first time start at their current seq and change seq: older
    // history is the app's to page in over HTTP, not a flood of events (or, with startAt "read",
    // after the user's read: the resync then brings the unread ones).
    for (const [id, counters] of Object.entries(ready.conversations)) {
      if (this.order.cursor(id) === undefined) {
        this.order.follow(id, this.startAt === "read" ? counters.read : counters.seq);
      }
      if (this.changes.cursor(id) === undefined) {
        this.changes.follow(id, counters.changeSeq);
      }
    }
    this.setState("open");
    this.emit("ready", ready);
    this.outbox.connect();
    // Catch up first, then drain the outbox: the sync's frames are not stuck behind 100 sends,
    // and what the app sends after a reconnect lands after what it missed.
    this.catchUp.resync(ready.conversations).catch((error) => this.emitIfLive(error)).finally(
      () => {
        if (this.ready && generation === this.generation) {
          this.outbox.openOutbox();
        }
      },
    );
  }

  /** Errors of a request cut off by a disconnect are expected: the next connect redoes it. */
  private emitIfLive(error: unknown): void {
    if (error instanceof ChatError && error.code === NO_ANSWER_CODE) return;
    this.emit(
      "error",
      error instanceof Error ? error : new Error(String(error)),
    );
  }

  private onLost(
    code: number,
    reason: string,
    retryInMs: number | undefined,
  ): void {
    this.ready = false;
    this.generation += 1;
    this.outbox.disconnect(false);
    this.emit("disconnect", {
      code,
      reason,
      retryInMs,
      attempt: this.connection.attempt,
    });
    if (retryInMs === undefined) this.stop(code, reason);
    else this.setState("reconnecting");
  }

  private stop(code: number, reason: string): void {
    if (this.state === "stopped") return;
    this.ready = false;
    this.generation += 1;
    this.setState("stopped");
    this.connection.stop();
    this.outbox.disconnect(true);
    this.emit("stopped", { code, reason });
  }

  private setState(state: SessionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit("state", state);
  }
}

/** The pushes handed to the app as events of their own name, as they come. */
type PassedOn =
  | "markChat"
  | "typing"
  | "group.notice"
  | "chatlog.deleted"
  | "read.count"
  | (typeof SOCIAL_PUSHES)[number];
const PASSED_ON: ReadonlySet<string> = new Set<PassedOn>([
  "markChat",
  "typing",
  "group.notice",
  "chatlog.deleted",
  "read.count",
  ...SOCIAL_PUSHES,
]);

export const stoppedError = () => new ChatError(NO_ANSWER_CODE, "the session is stopped");
