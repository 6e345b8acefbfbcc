/**
 * The session's request handler. Every frame a socket sends comes here from webSocketMessage:
 * it is admitted (socket-frames.ts: expiry, the socket's rate), waits for the socket's earlier
 * frames in a bounded queue (serial-queues.ts), has its
 * `data` checked against the protocol table, and is answered by its method below — mostly a call
 * to a Conversation object. It owns the session's state: the user's conversation list, the live
 * pushes held back during a sync, and the per-socket queues. Conversation deliveries land here.
 */
import type { ParsedConversationId } from "../../shared/chat/conversation-id.ts";
import { askConversation } from "../../shared/chat/conversation-asks.ts";
import * as chat from "../../shared/chat/service.ts";
import { MAX_SYNC_CONVERSATIONS } from "../../shared/chat/schemas.ts";
import { toDelivered, toDeliveredChange } from "../../shared/chat/delivery.ts";
import type { DeliveryBatch, DeliveryReceipt } from "../../shared/chat/types.ts";
import { createDb } from "../../shared/db/client.ts";
import { AppError, ERROR_CODE, InvalidParamsError } from "../../shared/errors.ts";
import {
  MAX_QUEUED_FRAMES,
  PRESENCE_LOOKUPS,
  SYNC_BATCH_SIZE,
  SYNC_CHANGES_BATCH_SIZE,
  USER_WRITES,
} from "../../shared/limits.ts";
import {
  ackFrame,
  CLIENT_METHODS,
  errorFrame,
  isMethodName,
  type MethodAck,
  type MethodData,
  type MethodName,
  pushFrame,
  type RequestFrame,
  type ServerFrame,
} from "../../shared/protocol/index.ts";
import { describeIssues } from "../../shared/validation.ts";
import { ConversationList } from "./conversation-list.ts";
import { listFriendsOnline } from "./presence.ts";
import { SerialQueues } from "./serial-queues.ts";
import { admitFrame } from "./socket-frames.ts";
import { NO_CHANGES, NO_MESSAGES, SocketPushes, type SyncReach } from "./socket-pushes.ts";
import { readAttachment, sendFrame } from "./sockets.ts";
import { UserLimits } from "./user-limits.ts";

/** One conversation of a `conversation.sync`: from where the client asked for messages, changes. */
interface SyncAsk {
  conversation: ParsedConversationId;
  seq?: number;
  changeSeq?: number;
}

/** Answers one method: its parsed `data` in, its ack `data` out (or an AppError thrown). */
type MethodHandler<M extends MethodName> = (
  data: MethodData<M>,
  request: RequestFrame,
  ws: WebSocket,
) => Promise<MethodAck<M>>;

export class SessionRequestHandler {
  readonly conversations: ConversationList;
  /** The user's rate limits, shared by every socket and the HTTP routes (user-limits.ts). */
  readonly limits: UserLimits;
  private readonly pushes: SocketPushes;
  /** Per-socket order of frame handling (frames in flight only; see serial-queues.ts). */
  private readonly queues = new SerialQueues(MAX_QUEUED_FRAMES);

  private readonly methods: { [M in MethodName]: MethodHandler<M> } = {
    "conversation.chat": (data, request) => this.sendMessage(data, request.id),
    "conversation.markChat": async ({ conversationId, seq }) => {
      // The socket form of PUT /v1/im/conversation's read: the same write, the same limit.
      this.limits.takeOrThrow([USER_WRITES], "too many writes");
      return {
        conversationId: conversationId.conversationId,
        read: await this.markRead(conversationId, seq),
      };
    },
    "conversation.sync": (data, _request, ws) => this.sync(ws, data),
    "conversation.recall": ({ conversationId, msgId }) => {
      this.limits.takeOrThrow([USER_WRITES], "too many writes");
      return askConversation(this.env, conversationId, this.userId, "recall", { msgId });
    },
    "conversation.edit": ({ conversationId, msgId, content }, request) => {
      this.limits.takeOrThrow([USER_WRITES], "too many writes");
      // The frame id is the edit's request id, as it is a send's idempotency key.
      const key = request.id;
      const edit = { msgId, content, key };
      return askConversation(this.env, conversationId, this.userId, "edit", edit);
    },
    "conversation.typing": ({ conversationId }) => this.relayTyping(conversationId),
    "user.online": () => {
      this.limits.takeOrThrow([PRESENCE_LOOKUPS], "too many presence look-ups");
      return listFriendsOnline(createDb(this.env), this.env.USER_SESSION, this.userId);
    },
  };

  constructor(
    ctx: DurableObjectState,
    private readonly env: Env,
    private readonly userId: string,
  ) {
    this.conversations = new ConversationList(ctx.storage, userId);
    this.limits = new UserLimits(ctx.storage.sql);
    this.pushes = new SocketPushes(ctx);
  }

  /**
   * One WebSocket message: admitted at once (so a flood is refused before it takes any memory),
   * then handled after the socket's earlier ones, answered exactly once.
   */
  async onMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const request = admitFrame(ws, message);
    if (!request) return;
    const queued = this.queues.run(readAttachment(ws)?.socketId ?? "", async () => {
      // A socket closed while this frame waited (revoked with 4003, replaced, flooding): its
      // waiting frames are not carried out.
      if (ws.readyState !== WebSocket.OPEN) return;
      try {
        sendFrame(ws, await this.answer(ws, request));
      } catch (error) {
        console.error(`UserSession ${this.userId}: webSocketMessage failed:`, error);
      }
    });
    if (queued === false) {
      const msg =
        `too many requests waiting: at most ${MAX_QUEUED_FRAMES} per socket; wait for answers`;
      sendFrame(ws, errorFrame(request.id, ERROR_CODE.rateLimited, msg));
      return;
    }
    await queued;
  }

  /**
   * A message from this user, over a socket or HTTP: the user's message token is taken before
   * anything else, so a burst over the limit sends nothing.
   */
  sendMessage(outgoing: chat.OutgoingMessage, clientMsgId: string): Promise<chat.SendAck> {
    this.limits.takeMessage();
    return chat.sendToConversation(this.env, this.userId, outgoing, clientMsgId);
  }

  /**
   * A Conversation's delivery: new messages are recorded in the list and pushed, in seq order,
   * to every open socket; messages the list already had are dropped.
   */
  receive(batch: DeliveryBatch): DeliveryReceipt {
    let sockets = 0;
    const fresh = this.conversations.apply(batch, (items) => {
      sockets = this.pushes.toAll(batch.conversation.conversationId, items);
    });
    return { fresh: fresh.length, sockets };
  }

  /** Marks read up to `seq` in the conversation's object, then in the list; the read seq. */
  async markRead(conversation: ParsedConversationId, seq: number): Promise<number> {
    const read = await askConversation(this.env, conversation, this.userId, "markRead", { seq });
    this.conversations.markRead(conversation.conversationId, read);
    return read;
  }

  /** The ack or error frame of one request; never throws. */
  private answer(ws: WebSocket, request: RequestFrame): Promise<ServerFrame> {
    if (!isMethodName(request.method)) {
      const msg = `unknown method "${request.method}"`;
      return Promise.resolve(errorFrame(request.id, ERROR_CODE.invalidParams, msg));
    }
    return this.run(request.method, ws, request);
  }

  private async run<M extends MethodName>(
    method: M,
    ws: WebSocket,
    request: RequestFrame,
  ): Promise<ServerFrame> {
    // A missing `data` is validated as `{}`.
    const data = CLIENT_METHODS[method].data.safeParse(request.data ?? {});
    if (!data.success) {
      const msg = `invalid data: ${describeIssues(data.error)}`;
      return errorFrame(request.id, ERROR_CODE.invalidParams, msg);
    }
    const handler: MethodHandler<M> = this.methods[method];
    try {
      return ackFrame(method, request.id, await handler(data.data as MethodData<M>, request, ws));
    } catch (error) {
      if (error instanceof AppError) return errorFrame(request.id, error.code, error.message);
      console.error(`UserSession ${this.userId}: ${method} failed:`, error);
      return errorFrame(request.id, ERROR_CODE.internal, "internal error");
    }
  }

  /**
   * `conversation.sync`: per conversation, the messages after the client's last seen seq go out
   * on this socket as `push` frames, in seq order, before the ack, and with `changes`, the
   * recalls and edits after the client's last seen change seq as `recall`/`edit` frames; at most
   * SYNC_BATCH_SIZE / SYNC_CHANGES_BATCH_SIZE each, and the ack says where each stopped.
   * What the session had not received yet is recorded and pushed to the user's other sockets as
   * well, exactly as a delivery would.
   */
  private async sync(
    ws: WebSocket,
    data: MethodData<"conversation.sync">,
  ): Promise<MethodAck<"conversation.sync">> {
    const asked = new Map<string, SyncAsk>();
    for (const [conversation, seq] of data.conversations) {
      asked.set(conversation.conversationId, { conversation, seq });
    }
    for (const [conversation, changeSeq] of data.changes ?? []) {
      const ask = asked.get(conversation.conversationId) ?? { conversation };
      asked.set(conversation.conversationId, { ...ask, changeSeq });
    }
    if (asked.size > MAX_SYNC_CONVERSATIONS) {
      throw new InvalidParamsError(
        `at most ${MAX_SYNC_CONVERSATIONS} conversations per sync, counting both maps together`,
      );
    }
    const conversations: Record<string, number> = {};
    const changes: Record<string, number> = {};
    for (const [conversationId, ask] of asked) {
      const reach = await this.pushes.holdingBack(
        ws,
        conversationId,
        // A sync for changes only covers no messages: every live one held back goes out after it.
        ask.seq ?? NO_MESSAGES,
        () => this.syncOne(ws, ask),
      );
      if (ask.seq !== undefined) conversations[conversationId] = reach.seq;
      if (ask.changeSeq !== undefined) changes[conversationId] = reach.changeSeq;
    }
    return data.changes === undefined ? { conversations } : { conversations, changes };
  }

  /** One conversation of a sync: its pushes on `ws`, recorded in the list; where it stopped. */
  private async syncOne(ws: WebSocket, ask: SyncAsk): Promise<SyncReach> {
    const { conversation } = ask;
    const answer = await askConversation(this.env, conversation, this.userId, "catchUp", {
      // Changes alone: no messages are asked for.
      afterSeq: ask.seq ?? Number.MAX_SAFE_INTEGER,
      count: SYNC_BATCH_SIZE,
      afterChange: ask.changeSeq,
      changeCount: SYNC_CHANGES_BATCH_SIZE,
    });
    const messages = answer.messages.map(toDelivered);
    const changes = answer.changes.map(toDeliveredChange);
    for (const message of messages) sendFrame(ws, message.frame);
    for (const change of changes) sendFrame(ws, change.frame);
    // Nothing to record for an empty answer: a read of a conversation the user has never had a
    // message in must not put it in their list (CONTRACT §9).
    if (messages.length > 0 || changes.length > 0) {
      this.receive({
        conversation,
        position: null,
        read: 0,
        messages,
        lastMsg: messages.length > 0 ? JSON.stringify(answer.messages.at(-1)) : null,
        changes,
      });
    }
    return {
      seq: ask.seq === undefined ? NO_MESSAGES : answer.seq,
      changeSeq: answer.changeSeq ?? NO_CHANGES,
    };
  }

  /**
   * `conversation.typing`: relayed to the conversation's other members' sockets, never stored.
   * The conversation's membership cache decides who, exactly as it does for a send.
   */
  private async relayTyping(
    conversation: ParsedConversationId,
  ): Promise<MethodAck<"conversation.typing">> {
    const { conversationId } = conversation;
    // At most one relayed per conversation per TYPING_RELAY_INTERVAL_MS: extras are acked and
    // dropped. The slot is taken before the await (two sockets racing relay once) and given
    // back when the caller may not type here, so a stranger's hint is refused every time.
    if (!this.limits.takeTyping(conversationId)) return {};
    let audience: string[];
    try {
      audience = await askConversation(this.env, conversation, this.userId, "typingAudience", null);
    } catch (error) {
      this.limits.giveBackTyping(conversationId);
      throw error;
    }
    const frame = pushFrame("typing", { conversationId, userId: this.userId });
    // Best effort: a typing hint that misses an object is not worth an error or a retry.
    await Promise.allSettled(audience.map((id) => this.env.USER_SESSION.getByName(id).push(frame)));
    return {};
  }
}
