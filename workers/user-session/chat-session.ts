/**
 * The chat side of a UserSession: taking deliveries from Conversation objects, pushing them to
 * the user's sockets, and keeping the conversation list (conversation-index.ts) right.
 */
import type {
  ConversationPosition,
  ConversationSummary,
  DeliveryBatch,
} from "../../shared/chat/types.ts";
import { SESSION_READY_CONVERSATIONS } from "../../shared/limits.ts";
import {
  encodeFrame,
  PUSH_METHOD,
  pushFrame,
  type ReadyConversation,
} from "../../shared/protocol/index.ts";
import { outcomeOf, type RpcOutcome, unwrapOutcome } from "../../shared/rpc-outcome.ts";
import { conversationObject } from "../conversation/client.ts";
import { ConversationIndex } from "./conversation-index.ts";
import { openSockets, sendFrame } from "./sockets.ts";
import type { ChatLog } from "../../shared/chat/types.ts";

/** The `push` frame of one message: `formId` is the sender. */
export function messagePush(message: ChatLog) {
  return pushFrame(PUSH_METHOD.message, message, message.sendId);
}

const sessions = new WeakMap<DurableObjectState, ChatSession>();

/**
 * The object's ChatSession, made once per object instance (its constructor creates the storage
 * schema, which the hot paths — a delivery, a chat frame — should not repeat).
 */
export function chatSessionOf(ctx: DurableObjectState, env: Env): ChatSession {
  let session = sessions.get(ctx);
  if (!session) {
    session = new ChatSession(ctx, env);
    sessions.set(ctx, session);
  }
  return session;
}

export class ChatSession {
  readonly index: ConversationIndex;
  /**
   * Live pushes held back per socket and conversation while that socket syncs it (memory only:
   * a sync in flight keeps the object awake).
   */
  private readonly syncing = new Map<WebSocket, Map<string, ChatLog[]>>();

  constructor(private readonly ctx: DurableObjectState, private readonly env: Env) {
    this.index = new ConversationIndex(ctx.storage.sql);
  }

  /**
   * A Conversation's delivery: new messages are recorded and pushed, in seq order, to every open
   * socket; messages this session already had are dropped (a retried delivery).
   */
  receive(userId: string, batch: DeliveryBatch): number {
    const { fresh } = this.index.apply(userId, batch);
    this.pushToAll(fresh);
    return fresh.length;
  }

  /**
   * Pushes one conversation's messages to every open socket in seq order. A socket in the middle
   * of syncing that conversation gets them after the sync's own pushes (see sync), not before.
   */
  pushToAll(messages: ChatLog[]): void {
    const first = messages[0];
    if (!first) return;
    const texts = messages.map((message) => encodeFrame(messagePush(message)));
    for (const ws of openSockets(this.ctx)) {
      const held = this.syncing.get(ws)?.get(first.conversationId);
      if (held) held.push(...messages);
      else for (const text of texts) sendFrame(ws, text);
    }
  }

  /**
   * `conversation.sync` for one conversation on one socket: pushes the messages after
   * `lastSeqSeen` (read by `fetch`) in seq order, records any the session had not received yet
   * (and pushes those to the other sockets), then sends what arrived live meanwhile — each message
   * once, in increasing seq. Returns the last seq this sync pushed.
   */
  async sync(
    ws: WebSocket,
    userId: string,
    batch: Omit<DeliveryBatch, "messages" | "read" | "position">,
    lastSeqSeen: number,
    fetch: () => Promise<ChatLog[]>,
  ): Promise<number> {
    const held: ChatLog[] = [];
    const heldBySocket = this.syncing.get(ws) ?? new Map<string, ChatLog[]>();
    heldBySocket.set(batch.conversationId, held);
    this.syncing.set(ws, heldBySocket);
    let sent = lastSeqSeen;
    try {
      const messages = await fetch();
      for (const message of messages) sendFrame(ws, messagePush(message));
      sent = messages.at(-1)?.seq ?? lastSeqSeen;
      const { fresh } = this.index.apply(userId, { ...batch, position: null, read: 0, messages });
      this.pushToAll(fresh);
      return sent;
    } finally {
      heldBySocket.delete(batch.conversationId);
      if (heldBySocket.size === 0) this.syncing.delete(ws);
      for (const message of held) {
        if (message.seq > sent) {
          sendFrame(ws, messagePush(message));
          sent = message.seq;
        }
      }
    }
  }

  /** Marks a conversation read up to `seq` in its object and in this list. */
  markRead(userId: string, conversationId: string, seq: number): Promise<RpcOutcome<number>> {
    return outcomeOf(async () => {
      const read = unwrapOutcome(
        await conversationObject(this.env, conversationId).markRead(conversationId, userId, seq),
      );
      this.index.markRead(conversationId, read);
      return read;
    });
  }

  open(
    userId: string,
    conversationId: string,
    position: ConversationPosition,
  ): ConversationSummary {
    return this.index.open(userId, conversationId, position);
  }

  /** `session.ready`'s counters: the most recently active conversations. */
  readyConversations(): Record<string, ReadyConversation> {
    const ready: Record<string, ReadyConversation> = {};
    for (const row of this.index.recent(SESSION_READY_CONVERSATIONS)) {
      ready[row.conversationId] = { seq: row.seq, read: row.read, unread: row.unread };
    }
    return ready;
  }
}
