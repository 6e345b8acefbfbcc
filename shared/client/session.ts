/**
 * A realtime session over `GET /v1/im/ws` that survives disconnects: heartbeats, reconnects
 * with backoff and jitter, a resync from the last seq seen after every `session.ready`, each
 * message handed over exactly once and in seq order, and an outbox whose sends are retried with
 * their frame id until acked (so each is stored once, CONTRACT §7.3). docs/sdk.md has the rules.
 */
import { type BackoffOptions, DEFAULT_BACKOFF, reconnectDelay } from "./backoff.ts";
import { ChatError, NO_ANSWER_CODE } from "./errors.ts";
import { pageOrigin } from "./http.ts";
import { Emitter } from "./events.ts";
import { MessageOrder } from "./message-order.ts";
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
import { resyncConversations } from "./resync.ts";

export type SessionState = "connecting" | "open" | "reconnecting" | "stopped";

export interface ChatSessionEvents {
  state: SessionState;
  /** Every `session.ready` (each connect): the conversations' seq, read and unread. */
  ready: SessionReady;
  /** A new message, exactly once per conversation + seq, in seq order. */
  message: ChatLog;
  markChat: PushData<"markChat">;
  typing: PushData<"typing">;
  /** Every push as it came, also those this SDK has no event of its own for (recall, edit …). */
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
  /** A request (not a send, which waits in the outbox) without an answer by then fails. */
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  random?: () => number;
}

interface PendingRequest {
  method: string;
  data: unknown;
  resolve: (ack: unknown) => void;
  reject: (error: Error) => void;
  /** Outbox entries survive disconnects and are resent; other requests fail on a disconnect. */
  outbox: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

export class ChatSession extends Emitter<ChatSessionEvents> {
  state: SessionState = "stopped";
  private readonly order = new MessageOrder();
  private readonly requests = new Map<string, PendingRequest>();
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

  /**
   * The app has everything in `conversationId` up to `seq` (e.g. from `GET /v1/im/chatlog`):
   * later messages come as `message` events, and after a reconnect the resync starts there.
   */
  follow(conversationId: string, seq: number): void {
    for (const message of this.order.follow(conversationId, seq)) this.emit("message", message);
  }

  /** Sends a message through the outbox: resolves with its ack, across reconnects. */
  send(message: OutgoingChat): Promise<SendAck> {
    return this.enqueue("conversation.chat", message, true);
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
    data: unknown,
    outbox: boolean,
  ): Promise<MethodAck<M>> {
    if (this.state === "stopped" && outbox) {
      return Promise.reject(new ChatError(NO_ANSWER_CODE, "the session is stopped"));
    }
    const id = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      const pending: PendingRequest = {
        method,
        data,
        outbox,
        resolve: resolve as (ack: unknown) => void,
        reject,
      };
      this.requests.set(id, pending);
      if (!outbox) {
        pending.timer = setTimeout(() => {
          this.requests.delete(id);
          reject(new ChatError(NO_ANSWER_CODE, `no answer to ${method}`, 0, id));
        }, this.options.requestTimeoutMs ?? 15_000);
      }
      if (this.ready) this.write(id, pending);
    });
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
      this.onAnswer(frame);
    } else if (frame.frameType === FRAME_TYPE.data && typeof frame.method === "string") {
      this.onPush(frame.method, frame.data);
    }
  }

  private onAnswer(frame: IncomingFrame): void {
    const pending = frame.id === undefined ? undefined : this.requests.get(frame.id);
    if (!pending || frame.id === undefined) return;
    this.requests.delete(frame.id);
    clearTimeout(pending.timer);
    if (frame.frameType === FRAME_TYPE.ack) {
      pending.resolve(frame.data);
      return;
    }
    const { code, msg } = frame.data as { code: number; msg: string };
    pending.reject(new ChatError(code, msg, 0, frame.id));
  }

  private onPush(method: string, data: unknown): void {
    this.emit("push", { method, data });
    if (method === "session.ready") this.onReady(data as SessionReady);
    else if (method === "push") this.onMessage(data as ChatLog);
    else if (method === "markChat") this.emit("markChat", data as PushData<"markChat">);
    else if (method === "typing") this.emit("typing", data as PushData<"typing">);
  }

  private onMessage(message: ChatLog): void {
    const { deliver, gap } = this.order.accept(message);
    for (const each of deliver) this.emit("message", each);
    if (gap) void this.fillGap(message.conversationId);
  }

  private onReady(ready: SessionReady): void {
    this.ready = true;
    this.attempt = 0;
    // Conversations seen for the first time start at their current seq: older history is the
    // app's to page in over HTTP, not a flood of `message` events.
    for (const [id, counters] of Object.entries(ready.conversations)) {
      if (this.order.cursor(id) === undefined) this.order.follow(id, counters.seq);
    }
    this.setState("open");
    this.emit("ready", ready);
    for (const [id, pending] of this.requests) this.write(id, pending);
    const targets = new Map(Object.entries(ready.conversations).map(([id, c]) => [id, c.seq]));
    void resyncConversations(
      this.order.cursorsList(),
      targets,
      (conversations) => this.request("conversation.sync", { conversations }),
    ).catch((error) => this.emitIfLive(error));
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

  /** Forgets the socket; requests that are not sends fail (the app may retry them). */
  private detach(): void {
    clearInterval(this.heartbeat);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    this.socket = undefined;
    this.ready = false;
    for (const [id, pending] of this.requests) {
      if (pending.outbox && this.state !== "stopped") continue;
      this.requests.delete(id);
      clearTimeout(pending.timer);
      pending.reject(
        new ChatError(NO_ANSWER_CODE, `disconnected before ${pending.method} was answered`, 0, id),
      );
    }
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
