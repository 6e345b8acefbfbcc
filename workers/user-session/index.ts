/**
 * UserSession Durable Object: one per user (`getByName(userId)`), holding that user's
 * hibernating WebSockets (CONTRACT §6, §8). Heartbeats are answered by the runtime without
 * waking it; idle and expired sockets are closed from the alarm; per-socket state lives in
 * attachments, so nothing here depends on memory surviving hibernation.
 *
 * RPC for other objects and the Worker: `push(frame)`, `isOnline()`, `socketCount()`, and the
 * chat side (chat-session.ts): `receive` (a Conversation's delivery), the conversation list
 * (`listConversations`, `openConversation`, `markConversationRead`, `setConversationShown`).
 */
import { DurableObject } from "cloudflare:workers";
import type {
  ConversationPosition,
  ConversationSummary,
  DeliveryBatch,
} from "../../shared/chat/types.ts";
import type { RpcOutcome } from "../../shared/rpc-outcome.ts";
import {
  CLOSE_CODE,
  closeBackCode,
  HEARTBEAT,
  type ServerFrame,
} from "../../shared/protocol/index.ts";
import { closeDueSockets, idleTimeoutMs, rearmAlarm } from "./alarm.ts";
import { type ChatSession, chatSessionOf } from "./chat-session.ts";
import { acceptConnection } from "./connect.ts";
import { handleSocketMessage } from "./messages.ts";
import { METHOD_TABLE } from "./method-table.ts";
import { SerialQueues } from "./serial.ts";
import { closeSocket, openSockets, readAttachment, sendFrame } from "./sockets.ts";

export class UserSession extends DurableObject<Env> {
  /** Per-socket order of frame handling (frames in flight only; see serial.ts). */
  private readonly queues = new SerialQueues();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(HEARTBEAT, HEARTBEAT));
  }

  /** The WebSocket upgrade, forwarded by `GET /v1/im/ws` with the token it verified. */
  override fetch(request: Request): Promise<Response> {
    return acceptConnection(this.ctx, this.env, request);
  }

  /** True while the user holds at least one open socket. */
  isOnline(): boolean {
    return openSockets(this.ctx).length > 0;
  }

  /** Open sockets right now. */
  socketCount(): number {
    return openSockets(this.ctx).length;
  }

  /**
   * Sends a server frame to every open socket of this user and returns how many took it
   * (0 = offline). Callers treat a thrown error as "retry later".
   */
  push(frame: ServerFrame): number {
    const text = JSON.stringify(frame);
    let delivered = 0;
    for (const ws of openSockets(this.ctx)) {
      if (sendFrame(ws, text)) delivered += 1;
    }
    return delivered;
  }

  /**
   * A Conversation's delivery for `userId`: new messages are recorded in the list and pushed to
   * every open socket in seq order; already-received ones are dropped. Returns how many were new.
   */
  receive(userId: string, batch: DeliveryBatch): number {
    return this.chat().receive(userId, batch);
  }

  /** The user's conversations, most recently active first. */
  listConversations(limit: number): ConversationSummary[] {
    return this.chat().index.recent(limit);
  }

  /** Puts a conversation in the list (setup/conversation) at the given position. */
  openConversation(
    userId: string,
    conversationId: string,
    position: ConversationPosition,
  ): ConversationSummary {
    return this.chat().open(userId, conversationId, position);
  }

  /** Marks read up to `seq` in the conversation and in the list; the new read seq. */
  markConversationRead(
    userId: string,
    conversationId: string,
    seq: number,
  ): Promise<RpcOutcome<number>> {
    return this.chat().markRead(userId, conversationId, seq);
  }

  /** Shows or hides a listed conversation; false when it is not in the list. */
  setConversationShown(conversationId: string, isShow: boolean): boolean {
    return this.chat().index.setShown(conversationId, isShow);
  }

  private chat(): ChatSession {
    return chatSessionOf(this.ctx, this.env);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    try {
      const socketId = readAttachment(ws)?.socketId ?? "";
      await this.queues.run(socketId, async () => {
        try {
          await handleSocketMessage(
            { env: this.env, ctx: this.ctx, methods: METHOD_TABLE },
            ws,
            message,
          );
        } catch (error) {
          this.logFailure("webSocketMessage", ws, error);
        }
      });
    } catch (error) {
      this.logFailure("webSocketMessage", ws, error);
    }
  }

  override async webSocketClose(
    ws: WebSocket,
    code: number,
    reason: string,
    _wasClean: boolean,
  ): Promise<void> {
    try {
      // A hibernated socket's close is not answered by the runtime: close back, or the client
      // waits for a close frame that never comes.
      closeSocket(ws, closeBackCode(code), reason);
      await rearmAlarm(this.ctx, idleTimeoutMs(this.env), ws);
    } catch (error) {
      this.logFailure("webSocketClose", ws, error);
    }
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    try {
      this.logFailure("webSocketError", ws, error);
      closeSocket(ws, CLOSE_CODE.normal, "socket error");
      await rearmAlarm(this.ctx, idleTimeoutMs(this.env), ws);
    } catch (failure) {
      this.logFailure("webSocketError", ws, failure);
    }
  }

  override async alarm(): Promise<void> {
    const idleMs = idleTimeoutMs(this.env);
    closeDueSockets(this.ctx, Date.now(), idleMs);
    await rearmAlarm(this.ctx, idleMs);
  }

  private logFailure(handler: string, ws: WebSocket, error: unknown): void {
    let userId = "unknown";
    try {
      userId = readAttachment(ws)?.userId ?? userId;
    } catch {
      // The attachment itself may be what failed.
    }
    console.error(`UserSession ${userId}: ${handler} failed:`, error);
  }
}
