/**
 * A realtime session over `GET /v1/im/ws` that survives disconnects: heartbeats, reconnects
 * with backoff and jitter, a resync from the last seq and the last change seq seen after every
 * `session.ready`, each message handed over exactly once and in seq order, each recall and edit
 * never older over newer, and an outbox whose sends, recalls and edits are retried with their
 * frame id until answered (a send is stored once, CONTRACT §7.3). docs/sdk.md has the rules.
 */
import { type BackoffOptions, DEFAULT_BACKOFF, reconnectDelay } from "./backoff.ts";
import { ChangeOrder } from "./change-order.ts";
import { ChatError, NO_ANSWER_CODE } from "./errors.ts";
import { pageOrigin } from "./http.ts";
import { Emitter } from "./events.ts";
import { MessageOrder } from "./message-order.ts";
import type { EditedMessage, MessageChange, Recall } from "./message-changes.ts";
import {
  type ChatLog,
  FINAL_CLOSE_CODES,
  FRAME_TYPE,
  HEARTBEAT,
  type IncomingFrame,
  type MethodAck,
  type MethodInput,
  type MethodName,
  type OutgoingChat,
  type PushData,
  type SendAck,
  type SessionReady,
} from "./protocol.ts";
import { type PendingRequest, RequestTable } from "./requests.ts";
import { resyncConversations, type SyncRequest } from "./resync.ts";

export type SessionState = "connecting" | "open" | "reconnecting" | "stopped";

export interface ChatSessionEvents {
  state: SessionState;
  /** Every `session.ready` (each connect): the conversations' seq, read and unread. */
  ready: SessionReady;
  /** A new message, exactly once per conversation + seq, in seq order. */
  message: ChatLog;
  markChat: PushData<"markChat">;
  typing: PushData<"typing">;
  /** A message was recalled; once per change, never a state older than one handed over. */
  recall: PushData<"recall">;
  /** A message was edited (the whole message as it is now); as `recall`. */
  edit: PushData<"edit">;
  /** A group's notice changed. */
  "group.notice": PushData<"group.notice">;
  /** This user hid messages from their own history (on another device, or this one). */
  "chatlog.deleted": PushData<"chatlog.deleted">;
  /** Every push as it came, also those this SDK has no event of its own for. */
  push: { method: string; data: unknown };
  /** The session stopped for good (4001 expired, 4002 replaced, 4003 revoked, or close()). */
  stopped: { code: number; reason: string };
  /** Something the app may want to show: a sync refused, a frame that could not be read. */
  error: Error;
}

/** Opens the socket: the default is `new WebSocket(url, [token])` (the token as subprotocol). */
export type WebSocketFactory = (url: string, protocols: string[]) => WebSocket | Promise<WebSocket>;

export interface ChatSessionOptions {
  /** The service's base URL (http or https; the socket uses ws or wss). Default: page origin. */
  baseUrl?: string;
  /** The access token, read at every connect. */
  token: string | (() => string | Promise<string>);
  deviceId?: string;
  webSocket?: WebSocketFactory;
  heartbeatMs?: number;
  /** A connect that has not brought `session.ready` by then is dropped and retried. */
  readyTimeoutMs?: number;
  /** A request (not a send, recall or edit: they wait in the outbox) unanswered by then fails. */
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

export class ChatSession extends Emitter<ChatSessionEvents> {
  state: SessionState = "stopped";
  private readonly order = new MessageOrder();
  private readonly changes = new ChangeOrder();
  private readonly requests: RequestTable;
  private readonly gapSyncs = new Set<string>();
  private socket: WebSocket | undefined;
  private attempt = 0;
  private ready = false;
  private lastFrameAt = 0;
  private timers: ReturnType<typeof setTimeout>[] = [];
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly heartbeatMs: number;

  constructor(private readonly options: ChatSessionOptions) {
    super();
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.requests = new RequestTable(options.requestTimeoutMs ?? 15_000);
  }

  /** Connects (and keeps reconnecting until close() or a final close code). */
  start(): void {
    if (this.state !== "stopped") return;
    this.attempt = 0;
    this.setState("connecting");
    void this.connect();
  }

  /** Stops for good: closes the socket with 1000, fails every request still waiting. */
  close(): void {
    this.stop(1000, "closed by the client");
  }

  /** The last seq handed to the app in `conversationId` (undefined: not followed). */
  lastSeq(conversationId: string): number | undefined {
    return this.order.cursor(conversationId);
  }

  /** Every recall and edit in `conversationId` up to this change seq is applied. */
  lastChangeSeq(conversationId: string): number | undefined {
    return this.changes.cursor(conversationId);
  }

  /**
   * The app has everything in `conversationId` up to `seq`, with every recall and edit up to
   * `changeSeq` (e.g. from `GET /v1/im/conversation` and `chatlog`): later messages and changes
   * come as events, and after a reconnect the resync starts there. Without `changeSeq` the
   * changes are resynced from the conversation's first one.
   */
  follow(conversationId: string, seq: number, changeSeq?: number): void {
    if (changeSeq !== undefined || this.changes.cursor(conversationId) === undefined) {
      this.changes.follow(conversationId, changeSeq ?? 0);
    }
    for (const message of this.order.follow(conversationId, seq)) this.emit("message", message);
  }

  /**
   * Sends a message through the outbox (`replyTo`, `mentions` as CONTRACT §10): resolves with
   * its ack, across reconnects.
   */
  send(message: OutgoingChat): Promise<SendAck> {
    return this.enqueue("conversation.chat", message, true);
  }

  /**
   * Recalls a message through the outbox (a recall is idempotent, so a resend answers as the
   * first did); the `recall` event fires once, from the ack or the push, whichever comes first.
   */
  async recall(conversationId: string, msgId: string): Promise<Recall> {
    const recall = await this.enqueue("conversation.recall", { conversationId, msgId }, true);
    this.onChange({ method: "recall", data: recall });
    return recall;
  }

  /** Replaces a text message's content through the outbox; as `recall`, with an `edit` event. */
  async edit(conversationId: string, msgId: string, content: string): Promise<EditedMessage> {
    const edited = await this.enqueue(
      "conversation.edit",
      { conversationId, msgId, content },
      true,
    );
    this.onChange({ method: "edit", data: edited });
    return edited;
  }

  /** One request on the current socket; rejects with a ChatError on refusal or disconnect. */
  request<M extends MethodName>(method: M, data: MethodInput<M>): Promise<MethodAck<M>> {
    if (!this.ready) {
      return Promise.reject(new ChatError(NO_ANSWER_CODE, `not connected (${method})`));
    }
    return this.enqueue(method, data, false);
  }

  /** Drops the current socket as a network failure would (the session reconnects). */
  dropConnection(): void {
    this.socket?.close(4000, "dropped by the client");
  }

  private enqueue<M extends MethodName>(
    method: M,
    data: MethodInput<M>,
    outbox: boolean,
  ): Promise<MethodAck<M>> {
    if (this.state === "stopped" && outbox) {
      return Promise.reject(new ChatError(NO_ANSWER_CODE, "the session is stopped"));
    }
    return this.requests.add(method, data, outbox, (id, pending) => {
      if (this.ready) this.write(id, pending);
    }) as Promise<MethodAck<M>>;
  }

  private write(id: string, pending: PendingRequest): void {
    this.socket?.send(
      JSON.stringify({
        frameType: FRAME_TYPE.data,
        id,
        method: pending.method,
        data: pending.data,
      }),
    );
  }

  private async connect(): Promise<void> {
    const { token } = this.options;
    let socket: WebSocket;
    try {
      const value = typeof token === "function" ? await token() : token;
      const url = new URL("/v1/im/ws", this.options.baseUrl ?? pageOrigin());
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      if (this.options.deviceId) url.searchParams.set("deviceId", this.options.deviceId);
      const open = this.options.webSocket ?? ((at, protocols) => new WebSocket(at, protocols));
      socket = await open(url.toString(), [value]);
    } catch (error) {
      this.emit("error", error instanceof Error ? error : new Error(String(error)));
      this.scheduleReconnect();
      return;
    }
    if (this.state === "stopped") {
      socket.close(1000, "closed by the client");
      return;
    }
    this.socket = socket;
    this.lastFrameAt = Date.now();
    socket.addEventListener("message", (event) => {
      if (this.socket === socket) this.onText(event.data);
    });
    socket.addEventListener("close", (event) => {
      if (this.socket === socket) this.onClose(event.code, event.reason);
    });
    this.later(() => {
      if (this.socket === socket && !this.ready) socket.close(4000, "no session.ready");
    }, this.options.readyTimeoutMs ?? 10_000);
    this.heartbeat = setInterval(() => this.beat(socket), this.heartbeatMs);
  }

  /** Sends the heartbeat; a socket that has not answered for two periods is dropped. */
  private beat(socket: WebSocket): void {
    if (Date.now() - this.lastFrameAt > this.heartbeatMs * 2) {
      socket.close(4000, "heartbeat timeout");
      return;
    }
    socket.send(HEARTBEAT);
  }

  private onText(text: unknown): void {
    this.lastFrameAt = Date.now();
    let frame: IncomingFrame;
    try {
      frame = JSON.parse(String(text));
    } catch {
      this.emit("error", new Error("a frame that is not JSON"));
      return;
    }
    if (frame.frameType === FRAME_TYPE.ack || frame.frameType === FRAME_TYPE.error) {
      this.requests.answer(frame);
    } else if (frame.frameType === FRAME_TYPE.data && typeof frame.method === "string") {
      this.onPush(frame.method, frame.data);
    }
  }

  private onPush(method: string, data: unknown): void {
    this.emit("push", { method, data });
    if (method === "session.ready") this.onReady(data as SessionReady);
    else if (method === "push") this.onMessage(data as ChatLog);
    else if (method === "markChat") this.emit("markChat", data as PushData<"markChat">);
    else if (method === "typing") this.emit("typing", data as PushData<"typing">);
    else if (method === "recall") this.onChange({ method, data: data as Recall });
    else if (method === "edit") this.onChange({ method, data: data as EditedMessage });
    else if (method === "group.notice") {
      this.emit("group.notice", data as PushData<"group.notice">);
    } else if (method === "chatlog.deleted") {
      this.emit("chatlog.deleted", data as PushData<"chatlog.deleted">);
    }
  }

  /** A recall or edit from a push, a resync or an ack: handed over unless the app has newer. */
  private onChange(change: MessageChange): void {
    if (!this.changes.accept(change.data)) return;
    if (change.method === "recall") this.emit("recall", change.data);
    else this.emit("edit", change.data);
  }

  private onMessage(message: ChatLog): void {
    // A conversation first heard of by a message: every change of it is news to the app.
    if (this.changes.cursor(message.conversationId) === undefined) {
      this.changes.follow(message.conversationId, 0);
    }
    const { deliver, gap } = this.order.accept(message);
    for (const each of deliver) this.emit("message", each);
    if (gap) void this.fillGap(message.conversationId);
  }

  private onReady(ready: SessionReady): void {
    this.ready = true;
    this.attempt = 0;
    // Conversations seen for the first time start at their current seq and change seq: older
    // history is the app's to page in over HTTP, not a flood of events.
    for (const [id, counters] of Object.entries(ready.conversations)) {
      if (this.order.cursor(id) === undefined) this.order.follow(id, counters.seq);
      if (this.changes.cursor(id) === undefined) this.changes.follow(id, counters.changeSeq);
    }
    this.setState("open");
    this.emit("ready", ready);
    for (const [id, pending] of this.requests.entries()) this.write(id, pending);
    void resyncConversations(
      { seq: this.order.cursorsList(), changeSeq: this.changes.cursorsList() },
      new Map(Object.entries(ready.conversations)),
      (request) => this.sync(request),
    ).catch((error) => this.emitIfLive(error));
  }

  /** One `conversation.sync`; the changes it answered for are applied up to its ack. */
  private async sync(request: SyncRequest) {
    const ack = await this.request("conversation.sync", request);
    for (const [id, reached] of Object.entries(ack.changes ?? {})) {
      this.changes.follow(id, reached);
    }
    return ack;
  }

  /** A push arrived after a gap: fetch what is missing (one sync at a time per conversation). */
  private async fillGap(conversationId: string): Promise<void> {
    if (this.gapSyncs.has(conversationId) || !this.ready) return;
    this.gapSyncs.add(conversationId);
    try {
      while (this.order.hasGap(conversationId)) {
        const from = this.order.cursor(conversationId) ?? 0;
        const ack = await this.request("conversation.sync", {
          conversations: { [conversationId]: from },
        });
        if ((ack.conversations[conversationId] ?? from) <= from) break;
      }
    } catch (error) {
      this.emitIfLive(error);
    } finally {
      this.gapSyncs.delete(conversationId);
    }
  }

  /** Errors of a request cut off by a disconnect are expected: the next connect redoes it. */
  private emitIfLive(error: unknown): void {
    if (error instanceof ChatError && error.code === NO_ANSWER_CODE) return;
    this.emit("error", error instanceof Error ? error : new Error(String(error)));
  }

  private onClose(code: number, reason: string): void {
    this.detach();
    if (this.state === "stopped") return;
    if (FINAL_CLOSE_CODES.has(code)) {
      this.stop(code, reason);
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.state === "stopped") return;
    this.setState("reconnecting");
    const delay = reconnectDelay(
      this.attempt++,
      this.options.backoff ?? DEFAULT_BACKOFF,
      this.options.random,
    );
    this.later(() => {
      if (this.state !== "stopped") void this.connect();
    }, delay);
  }

  /** Forgets the socket; requests outside the outbox fail (the app may retry them). */
  private detach(): void {
    clearInterval(this.heartbeat);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    this.socket = undefined;
    this.ready = false;
    this.requests.failOnDisconnect(this.state !== "stopped");
  }

  private stop(code: number, reason: string): void {
    if (this.state === "stopped") return;
    const socket = this.socket;
    this.setState("stopped");
    this.detach();
    socket?.close(1000, "closed by the client");
    this.emit("stopped", { code, reason });
  }

  private later(run: () => void, ms: number): void {
    this.timers.push(setTimeout(run, ms));
  }

  private setState(state: SessionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit("state", state);
  }
}
